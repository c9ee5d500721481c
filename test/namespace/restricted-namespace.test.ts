import { Chart, Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { RestrictedNamespace } from '../../lib/namespace';

function build(props: Partial<ConstructorParameters<typeof RestrictedNamespace>[2]> = {}) {
  const chart = Testing.chart();
  new RestrictedNamespace(chart, 'ns', { name: 'production', ...props });
  return Testing.synth(chart);
}

function find(manifests: any[], kind: string, name?: string): any {
  return manifests.find((m) => m.kind === kind && (name === undefined || m.metadata.name === name));
}

describe('RestrictedNamespace', () => {
  test('labels the namespace for Pod Security Admission restricted, pinned to v1.28', () => {
    const ns = find(build(), 'Namespace');
    expect(ns.apiVersion).toBe('v1');
    expect(ns.metadata).toEqual({
      name: 'production',
      labels: {
        'app.kubernetes.io/managed-by': 'cdk8s-guardrails',
        'kubernetes.io/metadata.name': 'production',
        'name': 'production',
        'pod-security.kubernetes.io/audit': 'restricted',
        'pod-security.kubernetes.io/audit-version': 'v1.28',
        'pod-security.kubernetes.io/enforce': 'restricted',
        'pod-security.kubernetes.io/enforce-version': 'v1.28',
        'pod-security.kubernetes.io/warn': 'restricted',
        'pod-security.kubernetes.io/warn-version': 'v1.28',
      },
    });
  });

  test('extra labels are kept but cannot weaken the pod security labels', () => {
    const ns = find(build({ labels: { 'team': 'shop', 'pod-security.kubernetes.io/enforce': 'privileged' }, podSecurityVersion: 'latest' }), 'Namespace');
    expect(ns.metadata.labels.team).toBe('shop');
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce-version']).toBe('latest');
  });

  test('emits a ResourceQuota with the documented defaults', () => {
    const quota = find(build(), 'ResourceQuota');
    expect(quota.metadata).toEqual({ name: 'production-quota', namespace: 'production' });
    expect(quota.spec.hard).toEqual({
      'limits.cpu': '20',
      'limits.memory': '40Gi',
      'persistentvolumeclaims': 10,
      'pods': 50,
      'requests.cpu': '10',
      'requests.memory': '20Gi',
      'services.loadbalancers': 2,
    });
  });

  test('quota values can be overridden one by one', () => {
    const quota = find(build({ quota: { limitsCpu: '64', pods: 200, loadBalancers: 0, nodePorts: 3 } }), 'ResourceQuota');
    expect(quota.spec.hard['services.nodeports']).toBe(3);
    expect(quota.spec.hard['limits.cpu']).toBe('64');
    expect(quota.spec.hard.pods).toBe(200);
    expect(quota.spec.hard['services.loadbalancers']).toBe(0);
    expect(quota.spec.hard['requests.cpu']).toBe('10');
  });

  test('emits a LimitRange with container default requests and limits', () => {
    const limits = find(build(), 'LimitRange');
    expect(limits.metadata).toEqual({ name: 'production-limits', namespace: 'production' });
    expect(limits.spec.limits).toEqual([{
      type: 'Container',
      default: { cpu: '500m', memory: '512Mi' },
      defaultRequest: { cpu: '100m', memory: '128Mi' },
    }]);
  });

  test('emits default-deny for all pods, ingress and egress', () => {
    const policy = find(build(), 'NetworkPolicy', 'default-deny-all');
    expect(policy.apiVersion).toBe('networking.k8s.io/v1');
    expect(policy.metadata).toEqual({ name: 'default-deny-all', namespace: 'production' });
    expect(policy.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
  });

  test('emits allow-dns egress to kube-dns on UDP and TCP 53', () => {
    const policy = find(build(), 'NetworkPolicy', 'allow-dns');
    expect(policy.metadata).toEqual({ name: 'allow-dns', namespace: 'production' });
    expect(policy.spec).toEqual({
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{
        to: [{
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
          podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
        }],
        ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }],
      }],
    });
  });

  test('each part can be turned off', () => {
    const manifests = build({ quota: false, limitRange: false, defaultDeny: false, allowDns: false });
    expect(manifests.map((m) => m.kind)).toEqual(['Namespace']);
  });

  test('output is byte-identical across synths', () => {
    expect(JSON.stringify(build())).toEqual(JSON.stringify(build()));
  });

  describe('errors', () => {
    test('invalid name', () => {
      expect(() => build({ name: 'Production' })).toThrow(
        "RestrictedNamespace 'test/ns': name 'Production' is not a valid DNS-1123 label",
      );
    });
    test('invalid pod security version', () => {
      expect(() => build({ podSecurityVersion: '1.28' })).toThrow(/podSecurityVersion '1.28' is not a Pod Security Standards version: use 'v1.<minor>'/);
    });
    test('invalid extra label', () => {
      expect(() => build({ labels: { team: 'a b' } })).toThrow(/labels 'team' has the value 'a b', which is not a valid label value/);
    });
    test('invalid quantity', () => {
      expect(() => build({ quota: { requestsMemory: '20GB' } })).toThrow(/quota.requestsMemory '20GB' is not a valid Kubernetes quantity/);
      expect(() => build({ limitRange: { defaultLimitCpu: 'lots' } })).toThrow(/limitRange.defaultLimitCpu 'lots' is not a valid Kubernetes quantity/);
    });
    test('quota limits below requests', () => {
      expect(() => build({ quota: { requestsCpu: '30' } })).toThrow(/quota.limitsCpu \(20\) must be at least quota.requestsCpu \(30\)/);
      expect(() => build({ quota: { limitsMemory: '1Gi' } })).toThrow(/quota.limitsMemory \(1Gi\) must be at least quota.requestsMemory \(20Gi\)/);
    });
    test('limit range default limit below default request', () => {
      expect(() => build({ limitRange: { defaultRequestCpu: '1' } })).toThrow(/limitRange.defaultLimitCpu \(500m\) must be at least limitRange.defaultRequestCpu \(1\)/);
      expect(() => build({ limitRange: { defaultLimitMemory: '64Mi' } })).toThrow(/limitRange.defaultLimitMemory \(64Mi\) must be at least limitRange.defaultRequestMemory \(128Mi\)/);
    });
    test('counts must be whole numbers', () => {
      expect(() => build({ quota: { pods: 0 } })).toThrow(/quota.pods 0 is not allowed: use a whole number of at least 1/);
      expect(() => build({ quota: { loadBalancers: 1.5 } })).toThrow(/quota.loadBalancers 1.5 is not allowed/);
      expect(() => build({ quota: { nodePorts: -1 } })).toThrow(/quota.nodePorts -1 is not allowed/);
    });
  });
});

describe('RestrictedNamespace in a namespaced chart', () => {
  test('the Namespace object carries no namespace; its policies do', () => {
    const chart = new Chart(Testing.app(), 'apps', { namespace: 'production' });
    new RestrictedNamespace(chart, 'ns', { name: 'production' });
    const manifests = Testing.synth(chart);
    expect(manifests.find((m) => m.kind === 'Namespace').metadata.namespace).toBeUndefined();
    expect(manifests.filter((m) => m.kind !== 'Namespace').map((m) => m.metadata.namespace)).toEqual(['production', 'production', 'production', 'production']);
  });
});

describe('RestrictedNamespace output order', () => {
  test('the Namespace comes first in its chart, even after earlier objects', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'apps', { namespace: 'production' });
    new k8s.KubeConfigMap(chart, 'early', { metadata: { name: 'early' } });
    new RestrictedNamespace(chart, 'ns', { name: 'production' });
    new k8s.KubeConfigMap(chart, 'late', { metadata: { name: 'late' } });
    const kinds = Testing.synth(chart).map((m) => `${m.kind}/${m.metadata.name}`);
    expect(kinds[0]).toBe('Namespace/production');
    expect(kinds).toContain('ConfigMap/early');
    expect(kinds.indexOf('ConfigMap/late')).toBeGreaterThan(0);
  });

  test('the order holds through App.synth too', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'apps', { namespace: 'production' });
    new k8s.KubeConfigMap(chart, 'early', { metadata: { name: 'early' } });
    new RestrictedNamespace(chart, 'ns', { name: 'production' });
    expect(app.synthYaml().split('\n---\n')[0]).toMatch(/^apiVersion: v1\nkind: Namespace\n/);
  });
});
