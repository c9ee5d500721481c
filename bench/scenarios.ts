import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { SecureDeployment } from '../lib/workload';

const { k8s } = kplus;

/**
 * One service's realistic hardened set: the library's `SecureDeployment` (Deployment,
 * ServiceAccount, Service, ConfigMap, HPA, PDB) plus a NetworkPolicy admitting only its HTTP port
 * (a k8s L1 object until the network concern lands).
 */
export function addServiceSet(scope: Construct, name: string): void {
  const workload = new SecureDeployment(scope, name, {
    image: `registry.example.com/${name}:1.2.3`,
    ports: [{ name: 'http', number: 8080 }],
    config: { data: { LOG_LEVEL: 'info', SERVICE_NAME: name } },
    autoscaling: { minReplicas: 3, maxReplicas: 10 },
  });
  new k8s.KubeNetworkPolicy(scope, 'ingress', {
    spec: {
      podSelector: { matchLabels: workload.selectorLabels },
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
