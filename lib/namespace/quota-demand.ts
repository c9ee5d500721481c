import { parseQuantity } from '../common/quantity';

/** What the workloads of one namespace need at full scale, in base units (cores, bytes, counts). */
export interface NamespaceDemand {
  readonly 'requests.cpu': number;
  readonly 'requests.memory': number;
  readonly 'limits.cpu': number;
  readonly 'limits.memory': number;
  readonly 'pods': number;
  readonly 'persistentvolumeclaims': number;
  readonly 'services.loadbalancers': number;
}

/** Container defaults a LimitRange fills in, as quantities. */
export interface ContainerDefaults {
  readonly requests: { readonly cpu?: string; readonly memory?: string };
  readonly limits: { readonly cpu?: string; readonly memory?: string };
}

type Json = Record<string, any>;
const RESOURCES = ['cpu', 'memory'] as const;

function quantity(value: unknown): number {
  return value === undefined ? 0 : parseQuantity(String(value)) ?? 0;
}

/** One pod's effective requests/limits: the larger of the init containers' maximum and the containers' sum. */
function podResources(spec: Json, defaults: ContainerDefaults | undefined): Record<string, number> {
  const of = (c: Json, kind: 'requests' | 'limits', r: 'cpu' | 'memory'): number => {
    const limit = c.resources?.limits?.[r] ?? defaults?.limits[r];
    // Kubernetes defaults a missing request to the limit, then to the LimitRange default request.
    const value = kind === 'limits' ? limit : c.resources?.requests?.[r] ?? (c.resources?.limits?.[r] ?? defaults?.requests[r] ?? limit);
    return quantity(value);
  };
  const result: Record<string, number> = {};
  for (const kind of ['requests', 'limits'] as const) {
    for (const r of RESOURCES) {
      const sum = (spec.containers ?? []).reduce((total: number, c: Json) => total + of(c, kind, r), 0);
      const init = Math.max(0, ...(spec.initContainers ?? []).map((c: Json) => of(c, kind, r)));
      result[`${kind}.${r}`] = Math.max(sum, init);
    }
  }
  return result;
}

/** Extra pods a Deployment's rolling update creates (`maxSurge`, default 25%, rounded up). */
function surge(deployment: Json, replicas: number): number {
  const strategy = deployment.spec?.strategy;
  if (strategy?.type === 'Recreate') return 0;
  const maxSurge = strategy?.rollingUpdate?.maxSurge ?? '25%';
  if (typeof maxSurge === 'number') return maxSurge;
  const percent = /^(\d+)%$/.exec(String(maxSurge));
  return percent ? Math.ceil((Number(percent[1]) * replicas) / 100) : 0;
}

/**
 * Sums what the Deployments, StatefulSets and Services of `namespace` need when every
 * autoscaler is at its maximum and every Deployment is mid-rollout (surge pods included):
 * the moment a quota that is too small blocks a rollout or a scale-up.
 */
export function namespaceDemand(manifests: readonly Readonly<Record<string, any>>[], namespace: string, defaults?: ContainerDefaults): NamespaceDemand {
  const inNamespace = manifests.filter((m) => m.metadata?.namespace === namespace);
  const maxReplicas = new Map<string, number>();
  for (const hpa of inNamespace.filter((m) => m.kind === 'HorizontalPodAutoscaler')) {
    maxReplicas.set(`${hpa.spec?.scaleTargetRef?.kind}/${hpa.spec?.scaleTargetRef?.name}`, hpa.spec?.maxReplicas ?? 1);
  }
  const demand: Record<string, number> = {
    'requests.cpu': 0, 'requests.memory': 0, 'limits.cpu': 0, 'limits.memory': 0,
    'pods': 0, 'persistentvolumeclaims': 0, 'services.loadbalancers': 0,
  };
  for (const workload of inNamespace.filter((m) => m.kind === 'Deployment' || m.kind === 'StatefulSet')) {
    const replicas = maxReplicas.get(`${workload.kind}/${workload.metadata.name}`) ?? workload.spec?.replicas ?? 1;
    const pods = replicas + (workload.kind === 'Deployment' ? surge(workload, replicas) : 0);
    const perPod = podResources(workload.spec?.template?.spec ?? {}, defaults);
    for (const [key, value] of Object.entries(perPod)) demand[key] += pods * value;
    demand.pods += pods;
    if (workload.kind === 'StatefulSet') demand.persistentvolumeclaims += replicas * (workload.spec?.volumeClaimTemplates?.length ?? 0);
  }
  demand.persistentvolumeclaims += inNamespace.filter((m) => m.kind === 'PersistentVolumeClaim').length;
  demand['services.loadbalancers'] = inNamespace.filter((m) => m.kind === 'Service' && m.spec?.type === 'LoadBalancer').length;
  return demand as unknown as NamespaceDemand;
}
