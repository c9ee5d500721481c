import { FIXTURES, Fixture } from './fixtures';
import { evalGatekeeperRego } from './opa';
import { PolicyPack, PolicyRule } from '../../lib/policy';
import { CelExpression } from '../../lib/policy/cel';
import { parameterConfigMapData, resolveParameters, validationsFor } from '../../lib/policy/policy-rule';
import { POLICY_RULES } from '../../lib/policy/rules';

/** The three forms of a rule on one fixture: does the object pass? */
function celPasses(rule: PolicyRule, fixture: Fixture): boolean {
  const params = { apiVersion: 'v1', kind: 'ConfigMap', data: parameterConfigMapData(resolveParameters(rule, fixture.parameters)) };
  return validationsFor(rule, fixture.object.kind).every((v) => {
    const outcome = new CelExpression(v.expression).evaluate({ object: fixture.object, params });
    if (!outcome.ok) throw new Error(`CEL of ${rule.id} failed on '${fixture.name}': ${outcome.error}`);
    return outcome.value === true;
  });
}

function synthPasses(rule: PolicyRule, fixture: Fixture): boolean {
  const pack = new PolicyPack({
    rules: Object.fromEntries(POLICY_RULES.map((r) => [
      r.id, r.id === rule.id ? { enabled: true, parameters: fixture.parameters } : { enabled: false },
    ])),
  });
  return pack.evaluate([{ manifest: fixture.object, path: 'test/fixture' }]).length === 0;
}

test('every rule has passing and failing fixtures', () => {
  for (const rule of POLICY_RULES) {
    expect(FIXTURES[rule.id]?.pass.length).toBeGreaterThan(0);
    expect(FIXTURES[rule.id]?.fail.length).toBeGreaterThan(0);
  }
});

describe.each(POLICY_RULES.map((r) => [r.id, r] as const))('rule %s', (_id, rule) => {
  const fixtures = FIXTURES[rule.id];
  const all = [...fixtures.pass.map((f) => ({ f, pass: true })), ...fixtures.fail.map((f) => ({ f, pass: false }))];
  let rego: string[][] = [];

  beforeAll(() => {
    rego = evalGatekeeperRego(rule.rego, all.map(({ f }) => ({ review: { object: f.object }, parameters: resolveParameters(rule, f.parameters) })));
  });

  test.each(all.map(({ f, pass }, i) => [pass ? 'passes' : 'fails', f.name, pass, f, i] as const))(
    '%s: %s (Gatekeeper Rego, VAP CEL and synth-time agree)', (_verdict, _name, pass, fixture, i) => {
      expect({ rego: rego[i].length === 0, cel: celPasses(rule, fixture), synth: synthPasses(rule, fixture) })
        .toEqual({ rego: pass, cel: pass, synth: pass });
    });
});
