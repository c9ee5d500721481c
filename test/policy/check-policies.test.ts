import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiObject, App, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import type { ValidationContext as ValidationContextType } from 'cdk8s-cli/lib/plugins/validation';
import { stringify } from 'yaml';
import { deployment } from './fixtures';
import {
  checkManifests, checkPolicies, enforcePolicies, GuardrailsPolicyValidation, PolicyPack, PolicySuppression, PolicyViolationError,
} from '../../lib/policy';
import { collectPolicyManifests } from '../../lib/policy/check-policies';
import { SUPPRESSION_ANNOTATION_PREFIX } from '../../lib/policy/policy-pack';
import { synthApp } from '../../lib/synth';
import { SecureDeployment } from '../../lib/workload';

function appWithChart(): { app: App; chart: Chart } {
  const app = Testing.app();
  const chart = new Chart(app, 'shop', { namespace: 'production' });
  return { app, chart };
}

describe('checkPolicies (synth-time guardrail)', () => {
  test('passes an app whose objects meet every rule', () => {
    const { app, chart } = appWithChart();
    new ApiObject(chart, 'api', deployment() as any);
    expect(() => checkPolicies(app)).not.toThrow();
  });

  test('a deliberately bad construct fails with its construct path, the object and the rule', () => {
    // GIVEN a cdk8s-plus Deployment on an untagged image, without probes or the required labels
    const { app, chart } = appWithChart();
    new kplus.Deployment(chart, 'legacy', { containers: [{ image: 'nginx', portNumber: 8080 }] });
    // WHEN the app is checked before writing THEN one error lists every violation
    let error: PolicyViolationError | undefined;
    try { checkPolicies(app); } catch (e) { error = e as PolicyViolationError; }
    expect(error).toBeInstanceOf(PolicyViolationError);
    expect(error!.message).toMatch(/^Policy check failed: \d+ violations of the policy pack\./);
    expect(error!.message).toMatch(/\[shop\/legacy\/Resource\] Deployment production\/shop-legacy-c8\w+ violates K8sDisallowedTags \(disallowed-tags\):/);
    expect(error!.message).toMatch(/violates K8sRequiredLabels \(required-labels\):\n {2}- every label of the labels parameter must be set and non-empty \[labels: app, version, component\]/);
    expect(error!.message).toMatch(/violates K8sRequiredProbes \(required-probes\)/);
    expect(error!.message).toMatch(/fix: pin the image to a release tag/);
    expect(error!.message).toMatch(/or suppress with a reason: PolicySuppression\.add\(construct, 'disallowed-tags', '<why this object is an exception>'\) \(records the annotation policy\.cdk8s-guardrails\.io\/suppress\.disallowed-tags\)/);
    expect(error!.violations.map((v) => v.ruleId)).toEqual(expect.arrayContaining(['required-labels', 'disallowed-tags', 'required-probes']));
    expect(error!.violations.every((v) => v.path === 'shop/legacy/Resource')).toBe(true);
  });

  test('a suppression with a reason is recorded as an annotation and skips that rule for that object only', () => {
    const { app, chart } = appWithChart();
    const legacy = new ApiObject(chart, 'legacy', deployment((d) => { d.metadata.name = 'legacy'; d.spec.template.spec.containers[0].image = 'nginx'; }) as any);
    new ApiObject(chart, 'other', deployment((d) => { d.metadata.name = 'other'; d.spec.template.spec.containers[0].image = 'nginx'; }) as any);
    PolicySuppression.add(legacy, 'disallowed-tags', 'vendor image, pinned by the mirror');
    const manifests = collectPolicyManifests(app);
    expect(manifests[0].manifest.metadata.annotations).toEqual({ [`${SUPPRESSION_ANNOTATION_PREFIX}disallowed-tags`]: 'vendor image, pinned by the mirror' });
    const violations = new PolicyPack().evaluate(manifests);
    expect(violations.map((v) => `${v.ruleId} ${v.object}`)).toEqual(['disallowed-tags Deployment production/other']);
  });

  test('suppressing on a cdk8s-plus construct annotates its ApiObject', () => {
    const { chart } = appWithChart();
    const d = new kplus.Deployment(chart, 'legacy', { containers: [{ image: 'nginx:1.27', portNumber: 8080 }] });
    PolicySuppression.add(d, 'required-probes', 'batch-like worker without an endpoint');
    expect(Testing.synth(chart)[0].metadata.annotations[`${SUPPRESSION_ANNOTATION_PREFIX}required-probes`]).toBe('batch-like worker without an endpoint');
  });

  test('throws when a suppression has no reason', () => {
    const { chart } = appWithChart();
    const obj = new ApiObject(chart, 'api', deployment() as any);
    expect(() => PolicySuppression.add(obj, 'disallowed-tags', '  ')).toThrow(/ApiObject 'shop\/api': suppressing the policy rule 'disallowed-tags' needs a reason \(got an empty one\)/);
  });

  test('throws when suppressing an unknown rule', () => {
    const { chart } = appWithChart();
    const obj = new ApiObject(chart, 'api', deployment() as any);
    expect(() => PolicySuppression.add(obj, 'no-latest', 'x')).toThrow(/cannot suppress the unknown policy rule 'no-latest'; known rules are required-labels, container-resources/);
  });

  test('rules outside their namespaces or in excluded namespaces do not apply', () => {
    const staging = deployment((d) => { d.metadata.namespace = 'staging'; delete d.metadata.labels; });
    expect(() => checkManifests([{ manifest: staging }])).not.toThrow();
    const system = deployment((d) => { d.metadata.namespace = 'kube-system'; d.spec.template.spec.hostNetwork = true; });
    expect(() => checkManifests([{ manifest: system }])).not.toThrow();
    expect(() => checkManifests([{ manifest: system }], new PolicyPack({ excludedNamespaces: [] }))).toThrow(/violates K8sBlockHostAccess \(host-access\)/);
  });

  test('without a construct path the error says so', () => {
    expect(() => checkManifests([{ manifest: deployment((d) => { d.spec.template.spec.hostPID = true; }) }]))
      .toThrow(/\[<unknown construct path>\] Deployment production\/api violates K8sBlockHostAccess/);
  });
});

describe('enforcePolicies', () => {
  test('app.synth() fails before writing any file when an object violates the pack', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'guardrails-synth-'));
    try {
      const app = new App({ outdir });
      enforcePolicies(app);
      const chart = new Chart(app, 'shop', { namespace: 'production' });
      new ApiObject(chart, 'api', deployment() as any);
      new ApiObject(chart, 'debug', deployment((d) => { d.metadata.name = 'debug'; d.spec.template.spec.hostPID = true; }) as any);
      // hostPID breaks both pss-restricted (which holds the baseline controls) and host-access
      expect(() => app.synth()).toThrow(/Validation failed with the following errors:\n.*Policy check failed: 2 violations of the policy pack\.\n\[shop\/debug\] Deployment production\/debug violates K8sPSSRestricted \(pss-restricted\)[\s\S]*\[shop\/debug\] Deployment production\/debug violates K8sBlockHostAccess \(host-access\)/);
      expect(readdirSync(outdir)).toEqual([]);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('app.synth() writes a compliant app', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'guardrails-synth-'));
    try {
      const app = new App({ outdir });
      enforcePolicies(app);
      new ApiObject(new Chart(app, 'shop', { namespace: 'production' }), 'api', deployment() as any);
      app.synth();
      expect(readdirSync(outdir)).toEqual(['shop.k8s.yaml']);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe('PolicyPack options', () => {
  test('allowed-registries is off by default and on once registries are given', () => {
    expect(new PolicyPack().rules.map((r) => r.rule.id)).not.toContain('allowed-registries');
    const pack = new PolicyPack({ rules: { 'allowed-registries': { parameters: { repos: ['registry.example.com/'] } } } });
    expect(pack.rules.find((r) => r.rule.id === 'allowed-registries')?.parameters).toEqual({ repos: ['registry.example.com/'] });
  });

  test('throws on an unknown rule id', () => {
    expect(() => new PolicyPack({ rules: { 'no-latest': {} } })).toThrow(/PolicyPack: unknown rule 'no-latest'; known rules are required-labels, container-resources, disallowed-tags/);
  });

  test('throws on an unknown parameter', () => {
    expect(() => new PolicyPack({ rules: { 'required-labels': { parameters: { label: ['app'] } } } }))
      .toThrow(/rule 'required-labels' has no parameter 'label'; its parameters are labels\./);
  });

  test('throws on a parameter value with a comma', () => {
    expect(() => new PolicyPack({ rules: { 'required-labels': { parameters: { labels: ['app,team'] } } } }))
      .toThrow(/parameter 'labels' has the value 'app,team'; values must be non-empty and contain no comma/);
  });

  test('throws when allowed-registries is enabled without registries', () => {
    expect(() => new PolicyPack({ rules: { 'allowed-registries': { enabled: true } } }))
      .toThrow(/rule 'allowed-registries' needs at least one prefix in parameters\.repos/);
  });

  test('throws on a probe the required-probes CEL cannot test by name', () => {
    expect(() => new PolicyPack({ rules: { 'required-probes': { parameters: { probes: ['livenessProbe', 'healthProbe'] } } } }))
      .toThrow(/rule 'required-probes' parameter 'probes' has the value 'healthProbe'; allowed values are livenessProbe, readinessProbe, startupProbe\./);
  });

  test('throws on an unknown volume type', () => {
    expect(() => new PolicyPack({ rules: { 'allowed-volume-types': { parameters: { types: ['emptyDir', 'tmpfs'] } } } }))
      .toThrow(/rule 'allowed-volume-types' parameter 'types' has the value 'tmpfs'; allowed values are awsElasticBlockStore, .*vsphereVolume\./);
  });

  test('immutable-tags is off by default; read-only-root-filesystem and allowed-volume-types are on', () => {
    const ids = new PolicyPack().rules.map((r) => r.rule.id);
    expect(ids).not.toContain('immutable-tags');
    expect(ids).toEqual(expect.arrayContaining(['read-only-root-filesystem', 'allowed-volume-types']));
    expect(new PolicyPack({ rules: { 'immutable-tags': { enabled: true } } }).rules.map((r) => r.rule.id)).toContain('immutable-tags');
  });

  test('throws on an internal load balancer annotation without a value', () => {
    expect(() => new PolicyPack({ rules: { 'internal-load-balancer': { parameters: { annotations: ['example.com/internal'] } } } }))
      .toThrow(/write each as 'annotation-key=value'/);
  });
});

// The public entry point (`cdk8s-cli/plugins`) is an `exports` subpath, which jest resolves but our
// node10 type resolution does not: type from the file, load through the entry point.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ValidationContext } = require('cdk8s-cli/plugins') as { ValidationContext: typeof ValidationContextType };
type ValidationContext = ValidationContextType;

describe('GuardrailsPolicyValidation (cdk8s-cli validation plugin)', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'guardrails-plugin-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function contextFor(objects: object[]): ValidationContext {
    const file = join(dir, 'app.k8s.yaml');
    writeFileSync(file, objects.map((o) => stringify(o)).join('---\n'));
    return new ValidationContext([file], 'cdk8s-guardrails', '0.1.0', { api: { path: 'shop/api/Resource' } });
  }

  test('reports violations with the construct path cdk8s recorded and fails', async () => {
    const context = contextFor([deployment((d) => { d.spec.template.spec.containers[0].image = 'nginx:latest'; })]);
    await new GuardrailsPolicyValidation().validate(context as any);
    expect(context.report.success).toBe(false);
    const [violation] = context.report.toJson().violations;
    expect(violation).toMatchObject({
      ruleName: 'disallowed-tags',
      fix: expect.stringMatching(/pin the image/),
      violatingConstructs: [{
        resourceName: 'Deployment production/api',
        constructPath: 'shop/api/Resource',
        locations: [expect.stringMatching(/^Deployment production\/api \(construct shop\/api\/Resource\): every image needs a digest or a tag not in the tags parameter/)],
      }],
    });
  });

  test('names the exact object and construct when objects share a name (synthApp records exact keys)', async () => {
    // GIVEN a SecureDeployment, whose Deployment, Service and PodDisruptionBudget share its name
    const app = new App({ outdir: dir, recordConstructMetadata: true });
    const chart = new Chart(app, 'shop', { namespace: 'production' });
    new SecureDeployment(chart, 'outsider', { image: 'registry.example.com/outsider:1.0.0', ports: [{ name: 'http', number: 8080 }] });
    synthApp(app);
    const metadata = JSON.parse(readFileSync(join(dir, 'construct-metadata.json'), 'utf8')).resources;
    expect(metadata.outsider.path).not.toMatch(/Deployment/); // stock's name key: the last object of that name
    // WHEN the plugin checks a rule only the Deployment breaks
    const context = new ValidationContext([join(dir, 'shop.k8s.yaml')], 'cdk8s-guardrails', '0.1.0', metadata);
    await new GuardrailsPolicyValidation({ rules: { 'required-labels': { parameters: { labels: ['team'] } } } }).validate(context as any);
    // THEN the finding names the Deployment and its construct, not the PodDisruptionBudget
    const found = context.report.toJson().violations.flatMap((v: any) => v.violatingConstructs);
    expect(found.map((c: any) => [c.resourceName, c.constructPath])).toContainEqual(['Deployment production/outsider', 'shop/outsider/Deployment/Resource']);
    expect(found.map((c: any) => c.constructPath)).not.toContain(metadata.outsider.path);
  });

  test('leaves the construct unknown rather than wrong when stock metadata has a shared name', async () => {
    const objects = [
      deployment((d) => { d.metadata.name = 'outsider'; d.spec.template.spec.containers[0].image = 'nginx:latest'; }),
      { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'outsider', namespace: 'production' }, spec: { maxUnavailable: 1 } },
    ];
    const file = join(dir, 'app.k8s.yaml');
    writeFileSync(file, objects.map((o) => stringify(o)).join('---\n'));
    const context = new ValidationContext([file], 'cdk8s-guardrails', '0.1.0', { outsider: { path: 'shop/outsider/DisruptionBudget' } });
    await new GuardrailsPolicyValidation().validate(context as any);
    const found = context.report.toJson().violations.flatMap((v: any) => v.violatingConstructs);
    expect(found).toContainEqual(expect.objectContaining({ resourceName: 'Deployment production/outsider', constructPath: undefined }));
  });

  test('passes clean manifests and takes PolicyPackProps as properties', async () => {
    const context = contextFor([deployment((d) => { delete d.metadata.labels.version; })]);
    await new GuardrailsPolicyValidation({ rules: { 'required-labels': { enabled: false } } }).validate(context as any);
    expect(context.report.success).toBe(true);
  });
});
