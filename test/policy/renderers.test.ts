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
      { apiGroups: [''], kinds: ['Pod', 'ReplicationController', 'PodTemplate'] },
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
        matchConstraints: { resourceRules: [{ apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['deployments', 'statefulsets', 'daemonsets'] }] },
        validations: [{ expression: configured('required-labels').rule.validations[0].expression, message: expect.any(String) }],
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
    expect(out.map((o) => o.kind)).not.toContain('ConfigMap');
    for (const o of out) {
      expect(o.spec.paramKind).toBeUndefined();
      expect(o.spec.paramRef).toBeUndefined();
    }
  });

  test('one policy per pod shape, each with explicit API versions and its own typed paths', () => {
    const chart = Testing.chart();
    const vap = new AdmissionPolicy(chart, 'res', { rule: configured('container-resources') });
    expect(vap.policyNames).toEqual([
      'guardrails-container-resources-pods', 'guardrails-container-resources-workloads',
      'guardrails-container-resources-cronjobs', 'guardrails-container-resources-podtemplates',
    ]);
    const policies = Testing.synth(chart).filter((o) => o.kind === 'ValidatingAdmissionPolicy');
    expect(policies.map((p) => p.spec.matchConstraints.resourceRules)).toEqual([
      [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['pods'] }],
      [
        { apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['deployments', 'statefulsets', 'daemonsets', 'replicasets'] },
        { apiGroups: ['batch'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['jobs'] },
        { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['replicationcontrollers'] },
      ],
      [{ apiGroups: ['batch'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['cronjobs'] }],
      [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['podtemplates'] }],
    ]);
    // each names only the paths of its own kinds, and never joins container lists with '+'
    const expressions = policies.map((p) => p.spec.validations.map((v: any) => v.expression).join('\n'));
    expect(expressions[0]).toContain('object.spec.containers');
    expect(expressions[0]).not.toContain('template');
    expect(expressions[1]).toContain('object.spec.template.spec.initContainers');
    expect(expressions[1]).not.toContain('jobTemplate');
    expect(expressions[2]).toContain('object.spec.jobTemplate.spec.template.spec.containers');
    expect(expressions[3]).toContain('object.template.spec.containers');
    for (const e of expressions) expect(e).not.toMatch(/\) \+ |object\.kind/);
    // all four bindings read the one params ConfigMap
    const bindings = Testing.synth(chart).filter((o) => o.kind === 'ValidatingAdmissionPolicyBinding');
    expect(new Set(bindings.map((b) => b.spec.paramRef.name))).toEqual(new Set(['guardrails-container-resources']));
  });
});

describe('every policy of the default pack is typed', () => {
  test('explicit API versions, no kind switch, no joined container lists', () => {
    const chart = Testing.chart();
    new ClusterPolicies(chart, 'policies', { gatekeeper: false, admissionPolicies: true, pack: new PolicyPack({ rules: { 'immutable-tags': { enabled: true } } }) });
    const policies = Testing.synth(chart).filter((o) => o.kind === 'ValidatingAdmissionPolicy');
    for (const p of policies) {
      for (const r of p.spec.matchConstraints.resourceRules) expect(r.apiVersions).not.toContain('*');
      for (const v of p.spec.validations) {
        expect(v.expression).not.toMatch(/object\.kind|Containers\) \+|\+ [a-z.]*containers/);
        expect(v.message.length).toBeLessThan(80);
      }
    }
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
    const policies = Testing.synth(chart2).filter((o) => o.kind === 'ValidatingAdmissionPolicy');
    expect(policies.map((p) => p.metadata.name)).toEqual(expect.arrayContaining(['guardrails-required-labels', 'guardrails-pss-restricted-pods', 'guardrails-pss-restricted-workloads']));
    expect(policies.length).toBeGreaterThan(pack.rules.length);
    expect(kinds2).not.toContain('ConstraintTemplate');
  });
});
