import { App, Chart, Testing } from 'cdk8s';
import { WorkloadNetworkPolicy, everyPodIsSelected, findUnselectedPods } from '../../lib/network';
import { FakeWorkload, documentedServices } from '../support/fake-workload';

function policy(manifests: any[], name: string): any {
  const found = manifests.find((m) => m.kind === 'NetworkPolicy' && m.metadata.name === name);
  if (found === undefined) throw new Error(`no NetworkPolicy ${name}`);
  return found;
}

function shopChart() {
  const app = Testing.app();
  const chart = new Chart(app, 'shop', { namespace: 'production' });
  const services = documentedServices(chart);
  return { app, chart, ...services };
}

describe('WorkloadNetworkPolicy', () => {
  test('reproduces the documented user-service policy field by field', () => {
    // GIVEN
    const { chart, frontend, userService, postgres, redis } = shopChart();
    // WHEN
    WorkloadNetworkPolicy.of(userService)
      .allowFrom(frontend, { port: 'http' })
      .allowTo(postgres, { port: 5432 })
      .allowTo(redis, { port: 'redis' })
      .allowToDns();
    // THEN
    const np = policy(Testing.synth(chart), 'user-service-flows');
    expect(np.apiVersion).toBe('networking.k8s.io/v1');
    expect(np.metadata).toEqual({ name: 'user-service-flows', namespace: 'production', labels: { app: 'user-service' } });
    expect(np.spec).toEqual({
      podSelector: { matchLabels: { app: 'user-service' } },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ podSelector: { matchLabels: { app: 'frontend' } } }], ports: [{ port: 8080, protocol: 'TCP' }] }],
      egress: [
        {
          to: [{
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
            podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
          }],
          ports: [{ port: 53, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }],
        },
        { to: [{ podSelector: { matchLabels: { app: 'postgres' } } }], ports: [{ port: 5432, protocol: 'TCP' }] },
        { to: [{ podSelector: { matchLabels: { app: 'redis' } } }], ports: [{ port: 6379, protocol: 'TCP' }] },
      ],
    });
  });

  test('opens the other end of each flow on the peer policy by default', () => {
    const { chart, frontend, userService, postgres } = shopChart();
    WorkloadNetworkPolicy.of(userService).allowFrom(frontend, { port: 'http' }).allowTo(postgres);
    const manifests = Testing.synth(chart);
    expect(policy(manifests, 'frontend-flows').spec.egress).toEqual([
      { to: [{ podSelector: { matchLabels: { app: 'user-service' } } }], ports: [{ port: 8080, protocol: 'TCP' }] },
    ]);
    expect(policy(manifests, 'frontend-flows').spec.ingress).toEqual([]);
    expect(policy(manifests, 'postgres-flows').spec.ingress).toEqual([
      { from: [{ podSelector: { matchLabels: { app: 'user-service' } } }], ports: [{ port: 5432, protocol: 'TCP' }] },
    ]);
  });

  test('bothEnds: false leaves the peer without a policy', () => {
    const { chart, frontend, userService } = shopChart();
    WorkloadNetworkPolicy.of(userService).allowFrom(frontend, { bothEnds: false });
    const names = Testing.synth(chart).filter((m) => m.kind === 'NetworkPolicy').map((m) => m.metadata.name);
    expect(names).toEqual(['user-service-flows']);
  });

  test('without a port, allows every port the destination declares', () => {
    const { chart, frontend, userService } = shopChart();
    WorkloadNetworkPolicy.of(frontend).allowTo(userService);
    expect(policy(Testing.synth(chart), 'frontend-flows').spec.egress[0].ports).toEqual([
      { port: 8080, protocol: 'TCP' }, { port: 8081, protocol: 'TCP' },
    ]);
  });

  test('merges repeated flows to one peer into one rule, ports deduplicated and sorted', () => {
    const { chart, frontend, userService } = shopChart();
    WorkloadNetworkPolicy.of(userService).allowFrom(frontend, { port: 8081 }).allowFrom(frontend, { port: 'http' }).allowFrom(frontend, { port: 8081 });
    expect(policy(Testing.synth(chart), 'user-service-flows').spec.ingress).toEqual([
      { from: [{ podSelector: { matchLabels: { app: 'frontend' } } }], ports: [{ port: 8080, protocol: 'TCP' }, { port: 8081, protocol: 'TCP' }] },
    ]);
  });

  test('of() returns the same policy for the same workload', () => {
    const { userService } = shopChart();
    expect(WorkloadNetworkPolicy.of(userService)).toBe(WorkloadNetworkPolicy.of(userService));
  });

  test('a workload with no flows is isolated in both directions', () => {
    const { chart, redis } = shopChart();
    WorkloadNetworkPolicy.of(redis);
    const np = policy(Testing.synth(chart), 'redis-flows');
    expect(np.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(np.spec.ingress).toEqual([]);
    expect(np.spec.egress).toEqual([]);
  });

  test('selects peers in another namespace by kubernetes.io/metadata.name', () => {
    const app = Testing.app();
    const web = new Chart(app, 'web', { namespace: 'web' });
    const data = new Chart(app, 'data', { namespace: 'data' });
    const frontend = new FakeWorkload(web, 'frontend');
    const db = new FakeWorkload(data, 'postgres', { ports: [{ name: 'postgres', number: 5432 }] });
    WorkloadNetworkPolicy.of(frontend).allowTo(db, { port: 'postgres' });
    expect(policy(Testing.synth(web), 'frontend-flows').spec.egress[0].to).toEqual([{
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'data' } },
      podSelector: { matchLabels: { app: 'postgres' } },
    }]);
    const dbPolicy = policy(Testing.synth(data), 'postgres-flows');
    expect(dbPolicy.metadata.namespace).toBe('data');
    expect(dbPolicy.spec.ingress[0].from).toEqual([{
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'web' } },
      podSelector: { matchLabels: { app: 'frontend' } },
    }]);
  });

  test('allowFromNamespace selects the namespace and optional pods, with the resolved port', () => {
    const { chart, userService } = shopChart();
    WorkloadNetworkPolicy.of(userService)
      .allowFromNamespace('ingress-nginx', { port: 'http', podSelector: { 'app.kubernetes.io/name': 'ingress-nginx' } })
      .allowFromNamespace('monitoring', { port: 8081 });
    expect(policy(Testing.synth(chart), 'user-service-flows').spec.ingress).toEqual([
      {
        from: [{
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } },
          podSelector: { matchLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } },
        }],
        ports: [{ port: 8080, protocol: 'TCP' }],
      },
      {
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }],
        ports: [{ port: 8081, protocol: 'TCP' }],
      },
    ]);
  });

  test('allowToCidr writes an ipBlock with sorted excepts and the ports', () => {
    const { chart, userService } = shopChart();
    WorkloadNetworkPolicy.of(userService).allowToCidr('10.20.0.0/16', { ports: [443], except: ['10.20.9.0/24', '10.20.1.0/24'] });
    WorkloadNetworkPolicy.of(userService).allowToCidr('fd00::/64', { ports: [5353], protocol: 'UDP' });
    expect(policy(Testing.synth(chart), 'user-service-flows').spec.egress).toEqual([
      { to: [{ ipBlock: { cidr: '10.20.0.0/16', except: ['10.20.1.0/24', '10.20.9.0/24'] } }], ports: [{ port: 443, protocol: 'TCP' }] },
      { to: [{ ipBlock: { cidr: 'fd00::/64' } }], ports: [{ port: 5353, protocol: 'UDP' }] },
    ]);
  });

  test('output does not depend on the order flows are declared in', () => {
    const a = shopChart();
    WorkloadNetworkPolicy.of(a.userService).allowTo(a.redis).allowTo(a.postgres).allowToDns().allowFrom(a.frontend);
    const b = shopChart();
    WorkloadNetworkPolicy.of(b.userService).allowToDns().allowFrom(b.frontend).allowTo(b.postgres).allowTo(b.redis);
    expect(Testing.synth(a.chart).filter((m) => m.kind === 'NetworkPolicy').sort((x, y) => x.metadata.name.localeCompare(y.metadata.name)))
      .toEqual(Testing.synth(b.chart).filter((m) => m.kind === 'NetworkPolicy').sort((x, y) => x.metadata.name.localeCompare(y.metadata.name)));
  });

  describe('errors', () => {
    test('a flow to a port the target does not expose names both workloads, the port and the declared ports', () => {
      const { frontend, userService } = shopChart();
      expect(() => WorkloadNetworkPolicy.of(frontend).allowTo(userService, { port: 'metrics' })).toThrow(
        "WorkloadNetworkPolicy 'shop/frontend/Flows': flow from 'frontend' to 'user-service' on port 'metrics': 'user-service' does not expose that port; it declares http (8080/TCP), grpc (8081/TCP). Use one of those or declare the port on 'user-service'.",
      );
    });

    test('allowFrom checks the port against this workload', () => {
      const { frontend, postgres } = shopChart();
      expect(() => WorkloadNetworkPolicy.of(postgres).allowFrom(frontend, { port: 8080 })).toThrow(
        /flow from 'frontend' to 'postgres' on port 8080: 'postgres' does not expose that port; it declares postgres \(5432\/TCP\)/,
      );
    });

    test('a flow to a workload without ports fails', () => {
      const { chart, frontend } = shopChart();
      const batch = new FakeWorkload(chart, 'batch', { ports: [] });
      expect(() => WorkloadNetworkPolicy.of(frontend).allowTo(batch)).toThrow(/flow from 'frontend' to 'batch': 'batch' declares no ports, so there is nothing to allow/);
    });

    test('a peer without a namespace cannot be selected from a namespaced policy', () => {
      const app = Testing.app();
      const web = new Chart(app, 'web', { namespace: 'web' });
      const loose = new Chart(app, 'loose');
      const frontend = new FakeWorkload(web, 'frontend');
      const api = new FakeWorkload(loose, 'api');
      expect(() => WorkloadNetworkPolicy.of(frontend).allowTo(api)).toThrow(
        /workload 'api' has no namespace, so the policy of 'frontend' in namespace 'web' cannot select its pods: set the namespace of 'api''s chart/,
      );
    });

    test('a namespace name that is not a usable label value is refused', () => {
      const { userService } = shopChart();
      expect(() => WorkloadNetworkPolicy.of(userService).allowFromNamespace('Bad Namespace!')).toThrow(
        /namespace 'Bad Namespace!' cannot be selected by the 'kubernetes.io\/metadata.name' label/,
      );
    });

    test('an empty podSelector in allowFromNamespace is refused', () => {
      const { userService } = shopChart();
      expect(() => WorkloadNetworkPolicy.of(userService).allowFromNamespace('monitoring', { podSelector: {} })).toThrow(/got an empty podSelector/);
    });

    test('a workload without selector labels is refused', () => {
      const { chart } = shopChart();
      const odd = new FakeWorkload(chart, 'odd', { selectorLabels: {} });
      expect(() => WorkloadNetworkPolicy.of(odd)).toThrow(/workload 'odd' has no selector labels, so its policy would select every pod/);
    });

    test.each([
      ['10.0.0.0', /'10.0.0.0' is not a valid CIDR block/],
      ['10.0.0.0/33', /'10.0.0.0\/33' is not a valid CIDR block/],
      ['10.1.2.3/16', /'10.1.2.3\/16' has host bits set: write the network address of the block, '10.1.0.0\/16'/],
      ['fd00::1/64', /has host bits set: write the network address of the block, 'fd00::\/64'/],
    ])('allowToCidr refuses %s', (cidr, message) => {
      const { userService } = shopChart();
      expect(() => WorkloadNetworkPolicy.of(userService).allowToCidr(cidr, { ports: [443] })).toThrow(message);
    });

    test('allowToCidr refuses an except outside the block', () => {
      const { userService } = shopChart();
      expect(() => WorkloadNetworkPolicy.of(userService).allowToCidr('10.0.0.0/16', { ports: [443], except: ['10.1.0.0/24'] }))
        .toThrow(/except '10.1.0.0\/24' is not strictly inside '10.0.0.0\/16'/);
    });

    test('allowToCidr refuses no ports and bad ports', () => {
      const { userService } = shopChart();
      expect(() => WorkloadNetworkPolicy.of(userService).allowToCidr('10.0.0.0/8', { ports: [] })).toThrow(/got no ports: list the destination ports/);
      expect(() => WorkloadNetworkPolicy.of(userService).allowToCidr('10.0.0.0/8', { ports: [70000] })).toThrow(/70000 is not a valid port number/);
    });
  });
});

describe('everyPodIsSelected', () => {
  test('passes when every pod has a policy', () => {
    const { app, chart, frontend, userService, postgres, redis } = shopChart();
    WorkloadNetworkPolicy.of(userService).allowFrom(frontend).allowTo(postgres).allowTo(redis);
    everyPodIsSelected(chart);
    expect(() => app.synth()).not.toThrow();
  });

  test('fails synthesis naming each pod no policy selects', () => {
    const { app, chart, frontend, userService } = shopChart();
    WorkloadNetworkPolicy.of(userService).allowFrom(frontend);
    everyPodIsSelected(chart);
    expect(() => app.synth()).toThrow(/Deployment "production\/postgres" is selected by no NetworkPolicy, so nothing restricts its traffic/);
    expect(() => app.synth()).toThrow(/Deployment "production\/redis" is selected by no NetworkPolicy/);
  });

  test('findUnselectedPods honours namespaces and match expressions', () => {
    const manifests = [
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'a', namespace: 'x' }, spec: { template: { metadata: { labels: { tier: 'web' } } } } },
      { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'b', namespace: 'x' }, spec: { jobTemplate: { spec: { template: { metadata: { labels: { tier: 'batch' } } } } } } },
      { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'p', namespace: 'x' }, spec: { podSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['web'] }] } } },
      { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'q', namespace: 'y' }, spec: { podSelector: {} } },
    ];
    expect(findUnselectedPods(manifests)).toEqual(['CronJob "x/b"']);
  });

  test('can be added to an App', () => {
    const app = new App({ outdir: '/tmp/never-written' });
    const chart = new Chart(app, 'c', { namespace: 'n' });
    new FakeWorkload(chart, 'lonely');
    everyPodIsSelected(app);
    expect(() => app.synth()).toThrow(/Deployment "n\/lonely" is selected by no NetworkPolicy/);
  });
});
