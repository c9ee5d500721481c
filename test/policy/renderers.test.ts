import { Testing } from 'cdk8s';
import { AdmissionPolicy, ClusterPolicies, GatekeeperConstraint, PolicyPack } from '../../lib/policy';

const pack = new PolicyPack();
const configured = (id: string) => pack.rules.find((r) => r.rule.id === id)!;

describe('GatekeeperConstraint', () => {
  test('renders the template with its Rego and the constraint with kinds, namespaces and parameters', () => {
    const chart = Testing.chart();
    new GatekeeperConstraint(chart, 'labels', { rule: configured('required-labels') });
    const [template, constraint] = Testing.synth(chart);
    expect(template).toMatchObject({
      apiVersion: 'templates.gatekeeper.sh/v1',
      kind: 'ConstraintTemplate',
      metadata: { name: 'k8srequiredlabels' },
      spec: {
        crd: { spec: { names: { kind: 'K8sRequiredLabels' }, validation: { openAPIV3Schema: { properties: { labels: { type: 'array', items: { type: 'string' } } } } } } },
        targets: [{ target: 'admission.k8s.gatekeeper.sh', rego: expect.stringContaining('violation[{"msg": msg}]') }],
      },
    });
    expect(constraint).toEqual({
      apiVersion: 'constraints.gatekeeper.sh/v1beta1',
      kind: 'K8sRequiredLabels',
      metadata: { name: 'required-labels', annotations: { 'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true' } },
      spec: {
        enforcementAction: 'deny',
        match: {
          kinds: [{ apiGroups: ['apps'], kinds: ['Deployment', 'StatefulSet', 'DaemonSet'] }],
          namespaces: ['production'],
          excludedNamespaces: ['kube-system', 'gatekeeper-system'],
        },
        parameters: { labels: ['app', 'version', 'component'] },
      },
    });
  });

  test('a rule without parameters has no schema and no parameters', () => {
    const chart = Testing.chart();
    new GatekeeperConstraint(chart, 'host', { rule: configured('host-access'), enforcementAction: 'dryrun' });
    const [template, constraint] = Testing.synth(chart);
    expect(template.spec.crd.spec.validation).toBeUndefined();
    expect(constraint.spec.parameters).toBeUndefined();
    expect(constraint.spec.enforcementAction).toBe('dryrun');
    expect(constraint.spec.match.kinds).toEqual([
      { apiGroups: [''], kinds: ['Pod'] },
      { apiGroups: ['apps'], kinds: ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'] },
      { apiGroups: ['batch'], kinds: ['Job', 'CronJob'] },
    ]);
  });
});

describe('AdmissionPolicy', () => {
  test('renders a v1beta1 policy with paramKind, a binding with paramRef and the params ConfigMap', () => {
    const chart = Testing.chart();
    new AdmissionPolicy(chart, 'labels', { rule: configured('required-labels') });
    const [policy, binding, params] = Testing.synth(chart);
    expect(policy).toMatchObject({
      apiVersion: 'admissionregistration.k8s.io/v1beta1',
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name: 'guardrails-required-labels' },
      spec: {
        failurePolicy: 'Fail',
        paramKind: { apiVersion: 'v1', kind: 'ConfigMap' },
        matchConstraints: { resourceRules: [{ apiGroups: ['apps'], apiVersions: ['*'], operations: ['CREATE', 'UPDATE'], resources: ['deployments', 'statefulsets', 'daemonsets'] }] },
        validations: [{ expression: configured('required-labels').rule.validations[0].expression }],
      },
    });
    expect(binding).toEqual({
      apiVersion: 'admissionregistration.k8s.io/v1beta1',
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name: 'guardrails-required-labels' },
      spec: {
        policyName: 'guardrails-required-labels',
        validationActions: ['Deny'],
        paramRef: { name: 'guardrails-required-labels', namespace: 'kube-system', parameterNotFoundAction: 'Deny' },
        matchResources: { namespaceSelector: { matchExpressions: [
          { key: 'kubernetes.io/metadata.name', operator: 'In', values: ['production'] },
          { key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system', 'gatekeeper-system'] },
        ] } },
      },
    });
    expect(params).toEqual({
      apiVersion: 'v1', kind: 'ConfigMap',
      metadata: { name: 'guardrails-required-labels', namespace: 'kube-system' },
      data: { labels: 'app,version,component' },
    });
  });

  test('a rule without parameters has no paramKind, paramRef or ConfigMap', () => {
    const chart = Testing.chart();
    new AdmissionPolicy(chart, 'pss', { rule: configured('pss-restricted') });
    const out = Testing.synth(chart);
    expect(out.map((o) => o.kind)).toEqual(['ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding']);
    expect(out[0].spec.paramKind).toBeUndefined();
    expect(out[1].spec.paramRef).toBeUndefined();
  });
});

describe('ClusterPolicies', () => {
  test('emits Gatekeeper objects by default and VAPs only when asked', () => {
    const chart = Testing.chart();
    new ClusterPolicies(chart, 'policies');
    const kinds = Testing.synth(chart).map((o) => o.kind);
    expect(kinds.filter((k) => k === 'ConstraintTemplate')).toHaveLength(pack.rules.length);
    expect(kinds).not.toContain('ValidatingAdmissionPolicy');

    const chart2 = Testing.chart();
    new ClusterPolicies(chart2, 'policies', { gatekeeper: false, admissionPolicies: true });
    const kinds2 = Testing.synth(chart2).map((o) => o.kind);
    expect(kinds2.filter((k) => k === 'ValidatingAdmissionPolicy')).toHaveLength(pack.rules.length);
    expect(kinds2).not.toContain('ConstraintTemplate');
  });
});
