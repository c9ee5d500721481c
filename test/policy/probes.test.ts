import { evalGatekeeperRego } from './opa';
import { COMPLIANT, placeProbe, PROBE_PACK, PROBES } from './probes';
import { checkPodSecurity, findPodTemplates, PolicyPack } from '../../lib/policy';
import { ruleAppliesTo } from '../../lib/policy/policy-pack';
import { POLICY_RULES } from '../../lib/policy/rules';
import { kubeCheck } from '../support/kube-check';

/**
 * The probe table through two of the three engines: the synth-time check (the VAP's CEL, with
 * @bufbuild/cel) and Gatekeeper's Rego (OPA's evaluator); pss-restricted's verdicts are also held
 * to the PSS checker and to Kubernetes' own k8s.io/pod-security-admission. The third, the real API server, runs the
 * same table in the cluster suite. Each probe must break exactly its own rule (plus the declared
 * overlaps), with its own message; compliant objects break nothing.
 */
const pack = new PolicyPack(PROBE_PACK);
const NAMESPACE = 'production';
const cases = [
  ...PROBES.map((p, i) => ({ name: `${p.rule}: ${p.field} (${p.kind})`, object: placeProbe(p.object, NAMESPACE, `probe-${i}`), expected: [p.rule, ...(p.alsoViolates ?? [])].sort(), probe: p })),
  ...COMPLIANT.map((c, i) => ({ name: c.name, object: placeProbe(c.object, NAMESPACE, `compliant-${i}`), expected: [] as string[], probe: undefined })),
];

test('the pack judging the probes has every rule on', () => {
  expect(pack.rules.map((r) => r.rule.id).sort()).toEqual(POLICY_RULES.map((r) => r.id).sort());
});

test('every rule has probes, and every pod rule is probed on every kind it matches', () => {
  for (const rule of POLICY_RULES) {
    const probes = PROBES.filter((p) => p.rule === rule.id);
    expect(probes.length).toBeGreaterThan(0);
    expect(new Set(probes.map((p) => p.kind))).toEqual(new Set(rule.match.map((m) => m.kind)));
  }
});

describe('synth-time check (CEL)', () => {
  test.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const violations = pack.evaluate([{ manifest: c.object }]);
    expect(violations.map((v) => v.ruleId).sort()).toEqual(c.expected);
    if (c.probe) {
      const own = violations.find((v) => v.ruleId === c.probe!.rule)!;
      expect(own.messages.map((m) => m.replace(/ \[.*\]$/, ''))).toContain(c.probe.message);
    }
  });
});

describe('Gatekeeper Rego (OPA)', () => {
  const verdicts = new Map<string, Set<string>>(cases.map((c) => [c.name, new Set<string>()]));
  beforeAll(() => {
    for (const configured of pack.rules) {
      const applicable = cases.filter((c) => ruleAppliesTo(configured, c.object));
      const inputs = applicable.map((c) => ({ review: { object: c.object }, parameters: configured.parameters }));
      const results = evalGatekeeperRego(configured.rule.rego, inputs);
      applicable.forEach((c, i) => { if (results[i].length > 0) verdicts.get(c.name)!.add(configured.rule.id); });
    }
  });
  test.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expect([...verdicts.get(c.name)!].sort()).toEqual(c.expected);
  });
});

describe('Pod Security Standards checker agrees with pss-restricted', () => {
  const judged = cases.filter((c) => findPodTemplates(c.object).length > 0);
  test.each(judged.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const [template] = findPodTemplates(c.object);
    const pss = checkPodSecurity(template.podSpec, template.podMetadata, 'restricted');
    expect(pss.length > 0).toBe(c.expected.includes('pss-restricted'));
  });
});

describe('k8s.io/pod-security-admission (restricted, v1.28) agrees with pss-restricted', () => {
  const judged = cases.filter((c) => findPodTemplates(c.object).length > 0);
  let verdicts: boolean[] = [];
  beforeAll(() => {
    verdicts = kubeCheck<{ allowed: boolean }>('pss', judged.map((c) => {
      const [t] = findPodTemplates(c.object);
      return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', ...(t.podMetadata?.annotations ? { annotations: t.podMetadata.annotations } : {}) }, spec: t.podSpec };
    })).map((v) => v.allowed);
  });
  test.each(judged.map((c, i) => [c.name, c, i] as const))('%s', (_name, c, i) => {
    expect(verdicts[i]).toBe(!c.expected.includes('pss-restricted'));
  });
});
