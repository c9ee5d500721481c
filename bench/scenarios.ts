import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { RestrictedNamespace } from '../lib/namespace';
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

/**
 * N services, one chart each, and a `RestrictedNamespace` (with its ResourceQuota, checked against
 * every workload of the namespace at synth) per 10 services, in a chart of its own: the layout of
 * a platform with one namespace per team.
 */
export function namespacesApp(app: App, n: number): void {
  for (let t = 0; t * 10 < n; t++) {
    const namespace = `team-${String(t).padStart(3, '0')}`;
    const chart = new Chart(app, `ns-${namespace}`);
    // Ten services at full scale: 10 × (10 replicas + 3 surge pods) × 250m/256Mi requests, 500m/512Mi limits.
    new RestrictedNamespace(chart, 'namespace', {
      name: namespace,
      quota: { requestsCpu: '40', requestsMemory: '40Gi', limitsCpu: '80', limitsMemory: '80Gi', pods: 150 },
    });
    for (let i = t * 10; i < Math.min(n, t * 10 + 10); i++) {
      const name = `svc-${String(i).padStart(4, '0')}`;
      addServiceSet(new Chart(app, name, { namespace }), name);
    }
  }
}

export const SCENARIOS: Record<string, (app: App, size: number) => void> = {
  services: servicesApp,
  layered: layeredApp,
  namespaces: namespacesApp,
};
