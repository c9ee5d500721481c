import { LabelSelectorJson } from './label-selector';

/** A container port of a pod, as declared in its template. */
export interface PodPortJson {
  readonly name?: string;
  readonly containerPort: number;
  readonly protocol?: string;
}

/** One pod (template) found in synthesized manifests. */
export interface PodInfo {
  /** `<namespace>/<name>`, or just `<name>` when the object sets no namespace. */
  readonly id: string;
  /** The kind of the object that holds the template (Deployment, StatefulSet, Pod...). */
  readonly kind: string;
  /** The object's name. */
  readonly name: string;
  /** The object's namespace; '' when it sets none. */
  readonly namespace: string;
  /** The labels of the pod template. */
  readonly labels: Record<string, string>;
  /** The ports of every container of the template. */
  readonly ports: readonly PodPortJson[];
}

/** A Kubernetes NetworkPolicy found in synthesized manifests. */
export interface NetworkPolicyInfo {
  readonly name: string;
  readonly namespace: string;
  readonly podSelector: LabelSelectorJson;
  readonly policyTypes: readonly string[];
  readonly ingress: readonly NetworkPolicyRuleJson[];
  readonly egress: readonly NetworkPolicyRuleJson[];
}

/** One ingress (`from`) or egress (`to`) rule. */
export interface NetworkPolicyRuleJson {
  readonly from?: readonly NetworkPolicyPeerJson[];
  readonly to?: readonly NetworkPolicyPeerJson[];
  readonly ports?: readonly { readonly port?: number | string; readonly endPort?: number; readonly protocol?: string }[];
}

/** One peer of a rule. */
export interface NetworkPolicyPeerJson {
  readonly podSelector?: LabelSelectorJson;
  readonly namespaceSelector?: LabelSelectorJson;
  readonly ipBlock?: { readonly cidr: string; readonly except?: readonly string[] };
}

type Json = Record<string, any>;

function templateOf(object: Json): Json | undefined {
  switch (object.kind) {
    case 'Pod': return object;
    case 'Deployment': case 'StatefulSet': case 'DaemonSet': case 'ReplicaSet': case 'Job': case 'ReplicationController':
      return object.spec?.template;
    case 'CronJob': return object.spec?.jobTemplate?.spec?.template;
    default: return undefined;
  }
}

/** Every pod template in `manifests` (workload controllers, Jobs, CronJobs and bare Pods). */
export function podsOf(manifests: readonly Json[]): PodInfo[] {
  const pods: PodInfo[] = [];
  for (const object of manifests) {
    const template = templateOf(object);
    if (template === undefined) continue;
    const namespace: string = object.metadata?.namespace ?? '';
    const name: string = object.metadata?.name ?? '';
    const containers: Json[] = [...(template.spec?.containers ?? []), ...(template.spec?.initContainers ?? [])];
    pods.push({
      id: namespace === '' ? name : `${namespace}/${name}`,
      kind: object.kind,
      name,
      namespace,
      labels: template.metadata?.labels ?? {},
      ports: containers.flatMap((c) => c.ports ?? []),
    });
  }
  return pods;
}

/** Every `networking.k8s.io/v1` NetworkPolicy in `manifests`, with Kubernetes defaults applied. */
export function networkPoliciesOf(manifests: readonly Json[]): NetworkPolicyInfo[] {
  return manifests
    .filter((o) => o.kind === 'NetworkPolicy' && o.apiVersion === 'networking.k8s.io/v1')
    .map((o) => {
      const spec: Json = o.spec ?? {};
      const ingress: NetworkPolicyRuleJson[] = spec.ingress ?? [];
      const egress: NetworkPolicyRuleJson[] = spec.egress ?? [];
      // An absent or empty policyTypes defaults to Ingress, plus Egress when the policy has egress
      // rules (an empty `egress: []` has none), as the API server's defaulting does.
      const policyTypes: string[] = Array.isArray(spec.policyTypes) && spec.policyTypes.length > 0
        ? spec.policyTypes
        : (egress.length > 0 ? ['Ingress', 'Egress'] : ['Ingress']);
      return {
        name: o.metadata?.name ?? '',
        namespace: o.metadata?.namespace ?? '',
        podSelector: spec.podSelector ?? {},
        policyTypes,
        ingress,
        egress,
      };
    });
}
