import * as fc from 'fast-check';
import { deployment, goodContainer } from './fixtures';
import { evalGatekeeperRego } from './opa';
import { CelExpression } from '../../lib/policy/cel';
import { parameterConfigMapData, PolicyRule, resolveParameters, validationsFor } from '../../lib/policy/policy-rule';
import { allowedRegistriesRule, disallowedTagsRule, hostAccessRule, pssRestrictedRule } from '../../lib/policy/rules';

/**
 * Property tests: on many generated objects the Gatekeeper Rego (real OPA, one process per rule)
 * and the CEL give the same verdict. Sampled with a fixed seed, so runs are reproducible.
 */
function celVerdicts(rule: PolicyRule, objects: readonly object[], parameters?: Record<string, string[]>): boolean[] {
  const params = { apiVersion: 'v1', kind: 'ConfigMap', data: parameterConfigMapData(resolveParameters(rule, parameters)) };
  return objects.map((object) => validationsFor(rule, (object as { kind: string }).kind).map((v) => new CelExpression(v.expression)).every((e) => {
    const outcome = e.evaluate({ object, params });
    if (!outcome.ok) throw new Error(`CEL error on ${JSON.stringify(object)}: ${outcome.error}`);
    return outcome.value === true;
  }));
}

function regoVerdicts(rule: PolicyRule, objects: readonly object[], parameters?: Record<string, string[]>): boolean[] {
  return evalGatekeeperRego(rule.rego, objects.map((object) => ({ review: { object }, parameters: resolveParameters(rule, parameters) })))
    .map((msgs) => msgs.length === 0);
}

function expectAgreement(rule: PolicyRule, objects: readonly object[], parameters?: Record<string, string[]>): void {
  const cel = celVerdicts(rule, objects, parameters);
  const rego = regoVerdicts(rule, objects, parameters);
  const disagreements = objects.filter((_, i) => cel[i] !== rego[i]);
  expect(disagreements).toEqual([]);
  // both verdicts occur, so the sample exercises the rule
  expect(new Set(cel)).toEqual(new Set([true, false]));
}

const SEED = 20261122;
const image = fc.tuple(
  fc.constantFrom('', 'registry.example.com/', 'registry.example.com:5000/', 'mirror.example.org/', 'registry.example.com.evil.io/'),
  fc.constantFrom('api', 'shop/api', 'nginx'),
  fc.constantFrom('', ':latest', ':v1.2.3', ':latest-fix', ':edge'),
  fc.constantFrom('', '@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'),
).map(([registry, repo, tag, digest]) => `${registry}${repo}${tag}${digest}`);

test('image rules: Rego and CEL agree on generated image references', () => {
  const objects = fc.sample(fc.array(image, { minLength: 1, maxLength: 3 }), { seed: SEED, numRuns: 300 })
    .map((images) => deployment((d) => { d.spec.template.spec.containers = images.map((img, i) => goodContainer(`c${i}`, img)); }));
  expectAgreement(disallowedTagsRule, objects);
  expectAgreement(disallowedTagsRule, objects, { tags: ['latest', 'edge'] });
  expectAgreement(allowedRegistriesRule, objects, { repos: ['registry.example.com/', 'mirror.example.org/'] });
});

const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
/** Mostly the compliant value, sometimes anything: so both verdicts occur often. */
const mostly = <T>(good: T, arb: fc.Arbitrary<T | undefined>) => fc.oneof({ arbitrary: fc.constant(good), weight: 6 }, { arbitrary: arb, weight: 1 });
const securityContext = fc.record({
  allowPrivilegeEscalation: mostly(false, maybe(fc.boolean())),
  privileged: maybe(fc.boolean()),
  runAsNonRoot: mostly(true, maybe(fc.boolean())),
  runAsUser: mostly(undefined, maybe(fc.constantFrom(0, 1000))),
  seccompProfile: mostly(undefined, maybe(fc.constantFrom('RuntimeDefault', 'Localhost', 'Unconfined').map((type) => ({ type })))),
  capabilities: mostly({ drop: ['ALL'] } as { drop?: string[]; add?: string[] }, maybe(fc.record({
    drop: mostly(['ALL'], maybe(fc.constantFrom(['NET_RAW'], []))),
    add: maybe(fc.constantFrom(['NET_BIND_SERVICE'], ['NET_ADMIN'], [])),
  }, { requiredKeys: [] }))),
}, { requiredKeys: [] });
const podSecurityContext = fc.record({
  runAsNonRoot: mostly(true, maybe(fc.boolean())),
  runAsUser: mostly(undefined, maybe(fc.constantFrom(0, 1000))),
  seccompProfile: mostly({ type: 'RuntimeDefault' }, maybe(fc.constantFrom('RuntimeDefault', 'Unconfined').map((type) => ({ type })))),
}, { requiredKeys: [] });
const volume = fc.constantFrom<Record<string, unknown>>(
  { name: 'a', emptyDir: {} }, { name: 'b', secret: { secretName: 's' } }, { name: 'c', hostPath: { path: '/tmp' } },
  { name: 'd', nfs: { server: 'n', path: '/' } }, { name: 'e', persistentVolumeClaim: { claimName: 'p' } },
);
const podSpec = fc.record({
  securityContext: maybe(podSecurityContext),
  hostNetwork: mostly(undefined, maybe(fc.boolean())),
  hostPID: mostly(undefined, maybe(fc.boolean())),
  volumes: mostly(undefined, maybe(fc.array(volume, { maxLength: 2 }))),
  containers: fc.array(fc.record({
    securityContext: maybe(securityContext),
    hostPort: mostly(undefined, maybe(fc.constantFrom(0, 8080))),
  }), { minLength: 1, maxLength: 2 }),
  initContainer: maybe(securityContext),
  kind: fc.constantFrom('Deployment', 'Pod', 'CronJob'),
});

/** Drops undefined fields, as JSON (and so YAML and the API server) would. */
const clean = <T>(v: T): T => JSON.parse(JSON.stringify(v));

test('pod rules: Rego and CEL agree on generated pod specs and kinds', () => {
  const objects = fc.sample(podSpec, { seed: SEED, numRuns: 600 }).map((p) => {
    const spec: Record<string, any> = clean({
      securityContext: p.securityContext,
      hostNetwork: p.hostNetwork,
      hostPID: p.hostPID,
      volumes: p.volumes,
      containers: p.containers.map((c, i) => ({ name: `c${i}`, image: 'registry.example.com/api:v1', securityContext: c.securityContext, ports: [{ containerPort: 8080, hostPort: c.hostPort }] })),
      initContainers: p.initContainer ? [{ name: 'init', image: 'registry.example.com/init:v1', securityContext: p.initContainer }] : undefined,
    });
    const metadata = { name: 'x', namespace: 'production' };
    if (p.kind === 'Pod') return { apiVersion: 'v1', kind: 'Pod', metadata, spec };
    if (p.kind === 'CronJob') return { apiVersion: 'batch/v1', kind: 'CronJob', metadata, spec: { schedule: '@daily', jobTemplate: { spec: { template: { spec } } } } };
    return { apiVersion: 'apps/v1', kind: 'Deployment', metadata, spec: { selector: {}, template: { spec } } };
  });
  expectAgreement(pssRestrictedRule, objects);
  expectAgreement(hostAccessRule, objects);
});
