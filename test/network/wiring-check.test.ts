import { App, Chart, Testing } from 'cdk8s';
import { createBundledApps } from '../../apps/bundled-app';
import { compositionChecks } from '../../apps/parts/composition';
import { SecureIngress } from '../../lib/ingress';
import { RestrictedNamespace } from '../../lib/namespace';
import { Connectivity, findMissingFlows, declaredCallers, WorkloadNetworkPolicy, wiringCheckHook } from '../../lib/network';
import { WorkloadMonitor } from '../../lib/observability';
import { RedisCache } from '../../lib/storage';
import { resolveApp } from '../../lib/synth';
import { SecureDeployment } from '../../lib/workload';

const CONTROLLER = { name: 'controller', namespace: 'ingress-nginx', labels: { 'app.kubernetes.io/component': 'controller', 'app.kubernetes.io/name': 'ingress-nginx' } };
const PROMETHEUS = { name: 'prometheus', namespace: 'monitoring', labels: { 'app.kubernetes.io/name': 'prometheus' } };

/** A default-deny namespace with one web workload, its Ingress and monitor; `order` decides what comes first. */
function shop(order: 'namespace-first' | 'namespace-last') {
  const chart = new Chart(Testing.app(), 'shop', { namespace: 'production' });
  const addNamespace = () => new RestrictedNamespace(chart, 'namespace', { name: 'production' });
  if (order === 'namespace-first') addNamespace();
  const web = new SecureDeployment(chart, 'web', { image: 'myregistry.com/web:v1.0.0', ports: [{ name: 'http', number: 8080, servicePort: 80 }], metrics: {} });
  new SecureIngress(chart, 'edge', { routes: [{ host: 'app.company.com', backend: web }] });
  new WorkloadMonitor(chart, 'monitor', { workload: web });
  if (order === 'namespace-last') addNamespace();
  return { chart, web, manifests: Testing.synth(chart) };
}

describe('implied flows under default-deny (issue 14 problem 2)', () => {
  test('SecureIngress and WorkloadMonitor open the controller and Prometheus to an isolated backend', () => {
    const { manifests } = shop('namespace-first');
    const net = new Connectivity(manifests, { extraPods: [CONTROLLER, PROMETHEUS, { name: 'grafana', namespace: 'monitoring', labels: { app: 'grafana' } }] });
    expect(net.canReach('ingress-nginx/controller', 'production/web', 8080)).toBe(true);
    expect(net.canReach('monitoring/prometheus', 'production/web', 8080)).toBe(true);
    expect(net.canReach('monitoring/grafana', 'production/web', 8080)).toBe(false);
    expect(findMissingFlows(manifests)).toEqual([]);
  });

  test('a workload nothing isolates gets no policy from them (it would cut its other traffic)', () => {
    const chart = new Chart(Testing.app(), 'open', { namespace: 'dev' });
    const web = new SecureDeployment(chart, 'web', { image: 'myregistry.com/web:v1.0.0' });
    new SecureIngress(chart, 'edge', { routes: [{ host: 'app.company.com', backend: web }] });
    expect(Testing.synth(chart).filter((o: any) => o.kind === 'NetworkPolicy')).toEqual([]);
  });

  test('the wiring check reports the flows that were not opened, with both ends, the port and the fix', () => {
    const { manifests } = shop('namespace-last');
    const findings = findMissingFlows(manifests);
    expect(findings.map((f) => [f.from, f.to, f.port])).toEqual([
      ['the ingress controller (pods app.kubernetes.io/component=controller,app.kubernetes.io/name=ingress-nginx of namespace \'ingress-nginx\')', 'production/web', '8080/TCP'],
      ['Prometheus (pods app.kubernetes.io/name=prometheus of namespace \'monitoring\')', 'production/web', '8080/TCP'],
    ]);
    expect(findings[0].message).toBe("Ingress production/edge routes to Service web:http, so the ingress controller (pods app.kubernetes.io/component=controller,app.kubernetes.io/name=ingress-nginx of namespace 'ingress-nginx') must reach pod production/web on 8080/TCP, "
      + 'but no NetworkPolicy allows it. '
      + "Fix: open it on the backend: web.allowFromNamespace('ingress-nginx', { port: \"http\", podSelector: {\"app.kubernetes.io/component\":\"controller\",\"app.kubernetes.io/name\":\"ingress-nginx\"} }); "
      + "SecureIngress does this itself when the backend is already isolated when the Ingress is created (create the namespace's default-deny first), and 'ingressController' tells it where the controller runs.");
  });

  test('a declared caller without a flow is reported, and passes once opened', () => {
    const chart = new Chart(Testing.app(), 'shop', { namespace: 'production' });
    new RestrictedNamespace(chart, 'namespace', { name: 'production' });
    const api = new SecureDeployment(chart, 'api', { image: 'myregistry.com/api:v1.0.0' });
    const redis = new RedisCache(chart, 'redis', { credentials: { secretName: 'redis-credentials' }, clients: [api] });
    const findings = findMissingFlows(Testing.synth(chart), {}, declaredCallers(chart));
    expect(findings.map((f) => f.message)).toEqual([
      'redis lists api as a client, so pod production/api must reach pod production/redis on 6379/TCP, but no NetworkPolicy allows it. Fix: call redis.allowFrom(api, { port: "redis" }) (or WorkloadNetworkPolicy.of(redis).allowFrom(...)), which opens both ends.',
    ]);
    WorkloadNetworkPolicy.of(redis).allowFrom(api);
    expect(findMissingFlows(Testing.synth(chart), {}, declaredCallers(chart))).toEqual([]);
  });

  test('as a beforeWrite hook it fails the synth before anything is written', () => {
    const app = new App({ outdir: 'unused' });
    const chart = new Chart(app, 'shop', { namespace: 'production' });
    const web = new SecureDeployment(chart, 'web', { image: 'myregistry.com/web:v1.0.0' });
    new SecureIngress(chart, 'edge', { routes: [{ host: 'app.company.com', backend: web }] });
    new RestrictedNamespace(chart, 'namespace', { name: 'production' });
    const { charts } = resolveApp(app);
    expect(() => wiringCheckHook()(charts)).toThrow(/^Wiring check: 1 flow\(s\) the app needs are blocked by its NetworkPolicies:\n- Ingress production\/edge/);
  });
});

describe('the bundled stacks pass the composition checks', () => {
  test('every bundled app passes the wiring and pull-path checks', () => {
    const apps = createBundledApps('unused');
    // The alibaba environments pull through their cluster baseline's one acr-configuration.
    const clusterObjects = () => apps.filter((a) => a.folder.endsWith('/cluster')).flatMap((a) => a.app.charts.flatMap((c) => c.toJson()));
    for (const { folder, app } of apps) {
      const { charts } = resolveApp(app);
      for (const check of compositionChecks({ clusterObjects })) expect(() => check(charts)).not.toThrow();
      expect(folder).toBeTruthy();
    }
  });

  test('dropping the flows the edge opened makes the wiring check fail', () => {
    const production = createBundledApps('unused').find((a) => a.folder === 'aws/production')!;
    const { charts } = resolveApp(production.app);
    // Drop the ingress rules of every *-flows policy, as a stack without the implied flows would have.
    const stripped = charts.map((c) => ({
      ...c,
      objects: c.objects.map((o) => (o.manifest.kind === 'NetworkPolicy' && o.manifest.metadata.name.endsWith('-flows')
        ? { ...o, manifest: { ...o.manifest, spec: { ...o.manifest.spec, ingress: [] } } } : o)),
    }));
    expect(() => compositionChecks()[0](stripped)).toThrow(/the ingress controller .* must reach pod production\/frontend on 8080\/TCP, but no NetworkPolicy allows it/);
  });
});
