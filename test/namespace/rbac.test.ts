import { Chart, Testing } from 'cdk8s';
import { PodSecurityPolicy, RbacClusterRole, RbacRole } from '../../lib/namespace';
import { FakeWorkload } from '../support/fake-workload';

const READ_CONFIG = { apiGroups: [''], resources: ['configmaps'], verbs: ['watch', 'get', 'get'] };

function shop() {
  const app = Testing.app();
  const chart = new Chart(app, 'shop', { namespace: 'production' });
  return { app, chart, api: new FakeWorkload(chart, 'user-service') };
}

describe('RbacRole', () => {
  test('emits a Role with sorted, deduplicated rules and binds it to the workload ServiceAccount', () => {
    const { chart, api } = shop();
    const role = new RbacRole(chart, 'config-reader', {
      rules: [READ_CONFIG, { apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: ['db-credentials'] }],
    });
    role.grantTo(api);
    const manifests = Testing.synth(chart).filter((m) => m.apiVersion === 'rbac.authorization.k8s.io/v1');
    expect(manifests).toEqual([
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: { name: 'config-reader', namespace: 'production' },
        rules: [
          { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'watch'] },
          { apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: ['db-credentials'] },
        ],
      },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: 'config-reader-user-service', namespace: 'production' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'config-reader' },
        subjects: [{ kind: 'ServiceAccount', name: 'user-service', namespace: 'production' }],
      },
    ]);
  });

  test('granting twice to one workload gives one binding', () => {
    const { chart, api } = shop();
    const role = new RbacRole(chart, 'r', { rules: [READ_CONFIG] });
    expect(role.grantTo(api)).toBe(role.grantTo(api));
    expect(Testing.synth(chart).filter((m) => m.kind === 'RoleBinding')).toHaveLength(1);
  });

  test('a wildcard allowed with a reason is emitted with the reason annotated', () => {
    const { chart } = shop();
    new RbacRole(chart, 'r', { rules: [{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['*'] }], wildcards: { reason: 'the deploy bot manages deployments' } });
    const role = Testing.synth(chart).find((m) => m.kind === 'Role');
    expect(role.metadata.annotations).toEqual({ 'cdk8s-guardrails.io/wildcard-reason': 'the deploy bot manages deployments' });
    expect(role.rules[0].verbs).toEqual(['*']);
  });

  test('an escalation verb allowed with a reason is annotated', () => {
    const { chart } = shop();
    new RbacRole(chart, 'r', { rules: [{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['rolebindings'], verbs: ['create', 'bind'] }], escalation: { reason: 'tenant operator' } });
    expect(Testing.synth(chart).find((m) => m.kind === 'Role').metadata.annotations).toEqual({ 'cdk8s-guardrails.io/escalation-reason': 'tenant operator' });
  });

  describe('errors', () => {
    test.each([
      ['verbs', { apiGroups: [''], resources: ['pods'], verbs: ['*'] }, "rules[0].verbs contains the wildcard '*', which grants everything present and future: list the exact verbs needed, or pass wildcards: { reason: '...' } to allow it explicitly."],
      ['resources', { apiGroups: [''], resources: ['pods/*'], verbs: ['get'] }, "rules[0].resources contains the wildcard 'pods/*'"],
      ['apiGroups', { apiGroups: ['*'], resources: ['pods'], verbs: ['get'] }, "rules[0].apiGroups contains the wildcard '*'"],
    ])('refuses a wildcard in %s', (_field, rule, message) => {
      const { chart } = shop();
      expect(() => new RbacRole(chart, 'r', { rules: [rule] })).toThrow(message);
    });

    test('the error starts with the construct and its path', () => {
      const { chart } = shop();
      expect(() => new RbacRole(chart, 'r', { rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['*'] }] })).toThrow(/^RbacRole 'shop\/r': /);
    });

    test('refuses escalation verbs without a reason', () => {
      const { chart } = shop();
      expect(() => new RbacRole(chart, 'r', { rules: [{ apiGroups: [''], resources: ['serviceaccounts'], verbs: ['impersonate'] }] })).toThrow(
        /rules\[0\].verbs contains 'impersonate', which lets the holder gain permissions it does not have: remove it, or pass escalation: \{ reason: '...' \}/,
      );
    });

    test('refuses unknown verbs', () => {
      const { chart } = shop();
      expect(() => new RbacRole(chart, 'r', { rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['read'] }] })).toThrow(/rules\[0\].verbs contains the unknown verb 'read': use one of 'approve', 'bind'/);
    });

    test('refuses empty rules and empty fields', () => {
      const { chart } = shop();
      expect(() => new RbacRole(chart, 'a', { rules: [] })).toThrow(/rules is empty: list the permissions the workload needs/);
      expect(() => new RbacRole(chart, 'b', { rules: [{ apiGroups: [], resources: ['pods'], verbs: ['get'] }] })).toThrow(/rules\[0\].apiGroups is empty: a rule without apiGroups grants nothing/);
      expect(() => new RbacRole(chart, 'c', { rules: [{ ...READ_CONFIG, resourceNames: [] }] })).toThrow(/rules\[0\].resourceNames is empty, which Kubernetes reads as every object/);
    });

    test('refuses exceptions without a reason or without use', () => {
      const { chart } = shop();
      expect(() => new RbacRole(chart, 'a', { rules: [READ_CONFIG], wildcards: { reason: ' ' } })).toThrow(/wildcards.reason is empty: say why this role needs the exception/);
      expect(() => new RbacRole(chart, 'b', { rules: [READ_CONFIG], wildcards: { reason: 'x' } })).toThrow(/wildcards was given but no rule uses a wildcard/);
      expect(() => new RbacRole(chart, 'c', { rules: [READ_CONFIG], escalation: { reason: 'x' } })).toThrow(/escalation was given but no rule uses 'bind', 'escalate', 'impersonate'/);
    });

    test('asking for podsecuritypolicies points to RestrictedNamespace', () => {
      const { chart } = shop();
      expect(() => new RbacRole(chart, 'r', { rules: [{ apiGroups: ['policy'], resources: ['podsecuritypolicies'], verbs: ['use'], resourceNames: ['restricted'] }] })).toThrow(
        /rules\[0\].resources asks for 'podsecuritypolicies': PodSecurityPolicy \(policy\/v1beta1\) was removed in Kubernetes 1.25.*use RestrictedNamespace instead/,
      );
    });

    test('a Role needs a namespace', () => {
      expect(() => new RbacRole(Testing.chart(), 'r', { rules: [READ_CONFIG] })).toThrow(/RbacRole 'test\/r': has no namespace: a Role lives in one/);
    });

    test('bad names', () => {
      const { chart } = shop();
      expect(() => new RbacRole(chart, 'r', { name: 'Reader', rules: [READ_CONFIG] })).toThrow(/name 'Reader' is not a valid DNS-1123 subdomain/);
      expect(() => new RbacRole(chart, 's', { namespace: 'a.b', rules: [READ_CONFIG] })).toThrow(/namespace 'a.b' is not a valid DNS-1123 label/);
      const role = new RbacRole(chart, 't', { rules: [READ_CONFIG] });
      expect(() => role.grantTo({ serviceAccountName: 'Bad SA' })).toThrow(/grantTo serviceAccountName 'Bad SA' is not a valid DNS-1123 subdomain/);
    });
  });
});

describe('RbacClusterRole', () => {
  function cluster() {
    const app = Testing.app();
    const clusterChart = new Chart(app, 'cluster');
    const apps = new Chart(app, 'shop', { namespace: 'production' });
    return { clusterChart, api: new FakeWorkload(apps, 'user-service') };
  }

  test('emits a ClusterRole and a cluster-wide binding', () => {
    const { clusterChart, api } = cluster();
    const role = new RbacClusterRole(clusterChart, 'node-reader', { rules: [{ apiGroups: [''], resources: ['nodes'], verbs: ['list', 'get'] }] });
    role.grantTo(api);
    expect(Testing.synth(clusterChart)).toEqual([
      {
        apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'node-reader' },
        rules: [{ apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list'] }],
      },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'node-reader-production-user-service' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'node-reader' },
        subjects: [{ kind: 'ServiceAccount', name: 'user-service', namespace: 'production' }],
      },
    ]);
  });

  test('grantInNamespace binds it in one namespace only', () => {
    const { clusterChart, api } = cluster();
    const role = new RbacClusterRole(clusterChart, 'config-reader', { rules: [READ_CONFIG] });
    role.grantInNamespace(api, 'production');
    expect(Testing.synth(clusterChart)[1]).toEqual({
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'config-reader-user-service', namespace: 'production' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'config-reader' },
      subjects: [{ kind: 'ServiceAccount', name: 'user-service', namespace: 'production' }],
    });
  });

  test('errors', () => {
    const { clusterChart } = cluster();
    expect(() => new RbacClusterRole(clusterChart, 'a', { rules: [{ apiGroups: [''], resources: ['*'], verbs: ['get'] }] })).toThrow(/rules\[0\].resources contains the wildcard '\*'/);
    const role = new RbacClusterRole(clusterChart, 'b', { rules: [READ_CONFIG] });
    expect(() => role.grantTo({ serviceAccountName: 'x' })).toThrow(/ServiceAccount 'x' has no namespace, which a binding needs/);
    expect(() => role.grantInNamespace({ serviceAccountName: 'x', namespace: 'a' }, 'B')).toThrow(/grantInNamespace namespace 'B' is not a valid DNS-1123 label/);
    expect(() => new RbacClusterRole(new Chart(Testing.app(), 'apps', { namespace: 'p' }), 'c', { rules: [READ_CONFIG] })).toThrow(/RbacClusterRole 'apps\/c': ClusterRole is cluster-scoped, but its chart sets namespace 'p': create it in a chart without a namespace, e.g. the cluster baseline chart\./);
  });
});

describe('PodSecurityPolicy', () => {
  const message = "PodSecurityPolicy 'test/psp': PodSecurityPolicy (policy/v1beta1) was removed in Kubernetes 1.25, so the documented 'restricted' PodSecurityPolicy would be a dead API on Kubernetes 1.28: use RestrictedNamespace instead, which labels the namespace for Pod Security Admission with enforce/audit/warn 'restricted' (new RestrictedNamespace(scope, 'ns', { name: 'production' })).";

  test('asking for the documented restricted policy fails, pointing to RestrictedNamespace', () => {
    expect(() => PodSecurityPolicy.restricted(Testing.chart(), 'psp')).toThrow(message);
  });

  test('constructing one fails the same way', () => {
    expect(() => new PodSecurityPolicy(Testing.chart(), 'psp', { privileged: false })).toThrow(message);
  });
});
