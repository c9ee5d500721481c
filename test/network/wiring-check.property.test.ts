import { Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { SecureIngress } from '../../lib/ingress';
import { RestrictedNamespace } from '../../lib/namespace';
import { DEFAULT_INGRESS_CONTROLLER, DEFAULT_PROMETHEUS, findMissingFlows } from '../../lib/network';
import { WorkloadMonitor } from '../../lib/observability';
import { SecureDeployment } from '../../lib/workload';

interface Spec { readonly ingressOpen: boolean; readonly monitored: boolean; readonly scrapeOpen: boolean; readonly port: number }

/**
 * Workloads behind one Ingress, some monitored, in a default-deny namespace declared last, and
 * the constructs told to open nothing; the flows are opened by hand for a random subset.
 */
function app(specs: readonly Spec[]) {
  const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
  const routes = specs.map((spec, i) => {
    const w = new SecureDeployment(chart, `svc-${i}`, { image: 'myregistry.com/svc:v1.0.0', ports: [{ name: 'http', number: spec.port }] });
    if (spec.ingressOpen) w.allowFromNamespace(DEFAULT_INGRESS_CONTROLLER.namespace, { port: 'http', podSelector: DEFAULT_INGRESS_CONTROLLER.podLabels });
    if (spec.monitored) new WorkloadMonitor(chart, `monitor-${i}`, { workload: w, prometheus: false });
    if (spec.monitored && spec.scrapeOpen) w.allowFromNamespace(DEFAULT_PROMETHEUS.namespace, { port: 'http', podSelector: DEFAULT_PROMETHEUS.podLabels });
    return { host: 'app.company.com', path: `/svc-${i}`, backend: w };
  });
  new SecureIngress(chart, 'edge', { routes, ingressController: false });
  new RestrictedNamespace(chart, 'namespace', { name: 'shop' });
  return Testing.synth(chart);
}

describe('the wiring check (property)', () => {
  test('reports exactly the Ingress backends and monitor targets whose flow is not opened', () => {
    const spec = fc.record({
      ingressOpen: fc.boolean(), monitored: fc.boolean(), scrapeOpen: fc.boolean(), port: fc.integer({ min: 1024, max: 9000 }),
    });
    fc.assert(fc.property(fc.array(spec, { minLength: 1, maxLength: 4 }), (specs) => {
      const found = findMissingFlows(app(specs)).map((f) => `${f.from.startsWith('the ingress') ? 'ingress' : 'scrape'} ${f.to} ${f.port}`).sort();
      const expected = specs.flatMap((s, i) => [
        ...(s.ingressOpen ? [] : [`ingress shop/svc-${i} ${s.port}/TCP`]),
        ...(s.monitored && !s.scrapeOpen ? [`scrape shop/svc-${i} ${s.port}/TCP`] : []),
      ]).sort();
      expect(found).toEqual(expected);
    }), { numRuns: 40 });
  });
});
