import { ApiObject, App, Chart } from 'cdk8s';
import { namespacesApp } from '../../bench/scenarios';
import { RestrictedNamespace } from '../../lib/namespace';
import { resolveApp, synthApp, synthAppYaml } from '../../lib/synth';
import { addManifestCheck } from '../../lib/synth/manifest-checks';
import { synthBoth, tmpDir } from './compare';

/** Counts `ApiObject.toJson()` calls while `run` runs. */
function countResolutions(run: () => void): number {
  const spy = jest.spyOn(ApiObject.prototype, 'toJson');
  try {
    run();
    return spy.mock.calls.length;
  } finally {
    spy.mockRestore();
  }
}

function countApiObjects(app: App): number {
  return app.node.findAll().filter(c => c instanceof ApiObject).length;
}

describe('RestrictedNamespace quota checks under the library synth', () => {
  // Issue 21: each namespace's quota check resolved every object of the app (quadratic synth).
  test.each([10, 40])('each object is resolved once, however many namespaces check their quota (%i services)', services => {
    const app = new App({ outdir: tmpDir() });
    namespacesApp(app, services);
    const objects = countApiObjects(app);
    expect(countResolutions(() => synthApp(app, { renderThreads: 0 }))).toBe(objects);
  });

  test('resolveApp and synthAppYaml resolve each object once too', () => {
    const app = new App({ outdir: tmpDir() });
    namespacesApp(app, 30);
    const objects = countApiObjects(app);
    expect(countResolutions(() => resolveApp(app))).toBe(objects);
    expect(countResolutions(() => synthAppYaml(app, { renderThreads: 0 }))).toBe(objects);
  });

  test('the output is byte-identical to stock App.synth()', () => {
    const { stock, ours } = synthBoth({}, app => namespacesApp(app, 12));
    expect(Object.keys(ours)).toHaveLength(2 + 12);
    expect(ours).toEqual(stock);
  });

  function overQuota(app: App): void {
    // The namespace and its workloads in different charts: the check sums the whole app.
    new RestrictedNamespace(new Chart(app, 'namespaces'), 'team-a', { name: 'team-a', quota: { pods: 20 } });
    new RestrictedNamespace(new Chart(app, 'other'), 'team-b', { name: 'team-b' });
    const workloads = new Chart(app, 'workloads', { namespace: 'team-a' });
    new ApiObject(workloads, 'api', {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api' },
      spec: { replicas: 20, template: { spec: { containers: [{ name: 'main', image: 'x:1' }] } } },
    });
  }

  // 20 replicas + 5 surge pods = 25 > 20.
  const message = "Validation failed with the following errors:\n  [namespaces/team-a] quota pods (20) is below what the workloads of namespace 'team-a' need at full scale (25, with autoscalers at their maximum and rolling-update surge pods): raise quota.pods or lower replicas or resources, or a rollout will be refused.";

  test('a quota shortfall fails synthApp with the same message as stock App.synth(), and nothing is written', () => {
    const stock = new App({ outdir: tmpDir() });
    overQuota(stock);
    expect(() => stock.synth()).toThrow(message);
    const ours = new App({ outdir: tmpDir() });
    overQuota(ours);
    expect(() => synthApp(ours)).toThrow(message);
    expect(() => resolveApp(ours)).toThrow(message);
  });

  test('a later stock synth of the same app checks the quota again (the deferral ends with the synth)', () => {
    const app = new App({ outdir: tmpDir() });
    overQuota(app);
    expect(() => synthApp(app)).toThrow(message);
    expect(() => app.synth()).toThrow(message);
  });

  test('other validation errors are reported first, before anything is resolved', () => {
    const app = new App({ outdir: tmpDir() });
    overQuota(app);
    const chart = new Chart(app, 'broken');
    chart.node.addValidation({ validate: () => ['broken on purpose'] });
    expect(countResolutions(() => expect(() => synthApp(app)).toThrow(/\[broken\] broken on purpose/))).toBe(0);
  });

  test('a manifest check sees only the manifests of the namespace it asks for, resolved', () => {
    const app = new App({ outdir: tmpDir() });
    const chart = new Chart(app, 'c', { namespace: 'a' });
    new ApiObject(chart, 'one', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'one' } });
    new ApiObject(new Chart(app, 'd', { namespace: 'b' }), 'two', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'two' } });
    const seen: string[][] = [];
    addManifestCheck(chart, manifests => {
      seen.push(manifests.inNamespace('a').map(m => m.metadata.name), manifests.all.map(m => m.metadata.name));
      return [];
    });
    synthApp(app);
    expect(seen).toEqual([['one'], ['one', 'two']]);
    seen.length = 0;
    app.synth(); // stock validates once, then again per chart
    expect(seen.length).toBeGreaterThan(0);
    for (let i = 0; i < seen.length; i += 2) expect(seen.slice(i, i + 2)).toEqual([['one'], ['one', 'two']]);
  });
});
