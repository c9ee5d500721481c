import { App, Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';

const { k8s } = kplus;

/**
 * One service's realistic hardened set: workload Deployment, Service, ConfigMap, HPA, PDB and a
 * NetworkPolicy admitting only its HTTP port. (Uses cdk8s-plus-28 and k8s L1 objects directly.)
 */
export function addServiceSet(scope: Construct, name: string): void {
  const config = new kplus.ConfigMap(scope, 'config', { data: { LOG_LEVEL: 'info', SERVICE_NAME: name } });
  const deployment = new kplus.Deployment(scope, 'deployment', {
    replicas: 3,
    containers: [{
      name: 'app',
      image: `registry.example.com/${name}:1.2.3`,
      ports: [{ name: 'http', number: 8080 }],
      envFrom: [kplus.Env.fromConfigMap(config)],
      resources: {
        cpu: { request: kplus.Cpu.millis(100), limit: kplus.Cpu.millis(500) },
        memory: { request: Size.mebibytes(128), limit: Size.mebibytes(256) },
      },
    }],
  });
  deployment.exposeViaService({ ports: [{ name: 'http', port: 80, targetPort: 8080 }] });
  new k8s.KubeHorizontalPodAutoscalerV2(scope, 'hpa', {
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: deployment.name },
      minReplicas: 3,
      maxReplicas: 10,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
    },
  });
  new k8s.KubePodDisruptionBudget(scope, 'pdb', {
    spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: deployment.matchLabels } },
  });
  new k8s.KubeNetworkPolicy(scope, 'ingress', {
    spec: {
      podSelector: { matchLabels: deployment.matchLabels },
      policyTypes: ['Ingress'],
      ingress: [{ ports: [{ port: k8s.IntOrString.fromNumber(8080), protocol: 'TCP' }] }],
    },
  });
}

/** N services, one chart (and namespace) per service, as platform monorepos lay them out. */
export function servicesApp(app: App, n: number): void {
  for (let i = 0; i < n; i++) {
    const name = `svc-${String(i).padStart(4, '0')}`;
    const chart = new Chart(app, name, { namespace: `team-${i % 50}` });
    addServiceSet(chart, name);
  }
}

/**
 * K layered charts where chart i depends on charts i−1 and i−2 (platform → namespace →
 * application layers with fan-in); each chart holds a Namespace and a ConfigMap.
 */
export function layeredApp(app: App, k: number): void {
  const charts: Chart[] = [];
  for (let i = 0; i < k; i++) {
    const chart = new Chart(app, `layer-${String(i).padStart(3, '0')}`);
    new k8s.KubeNamespace(chart, 'namespace', { metadata: { name: `layer-${i}` } });
    new k8s.KubeConfigMap(chart, 'config', { metadata: { namespace: `layer-${i}` }, data: { layer: String(i) } });
    if (i >= 1) chart.addDependency(charts[i - 1]);
    if (i >= 2) chart.addDependency(charts[i - 2]);
    charts.push(chart);
  }
}

export const SCENARIOS: Record<string, (app: App, size: number) => void> = {
  services: servicesApp,
  layered: layeredApp,
};
