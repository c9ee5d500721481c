import { Duration, Testing } from 'cdk8s';
import { KubeletHardening } from '../../lib/cluster';
import { FluentBitSidecar } from '../../lib/observability';
import { AdmissionPolicy, GatekeeperConstraint, PolicyPack } from '../../lib/policy';
import { RegistryPullSecret } from '../../lib/registry';
import { PriorityClass, SecureDeployment } from '../../lib/workload';

// Inputs the fuzz suite (test/fuzz) found accepted with broken output, or refused with an unclear
// error; each failed before its fix.
const errorOf = (f: () => unknown) => { try { f(); } catch (e) { return (e as Error).message; } return 'no error'; };
const rule = new PolicyPack().rules.find(r => r.rule.id === 'required-labels')!;

describe('fuzz findings (issue #17)', () => {
  test("FluentBitSidecar: a cpuLimit of '1Ei' was written as '1.152921504606847e+21m'", () => {
    const chart = Testing.chart();
    const api = new SecureDeployment(chart, 'api', { image: 'r.io/api:v1.2.3' });
    expect(errorOf(() => new FluentBitSidecar(chart, 'logs', { workload: api.deployment, container: api.container, cpuLimit: '1Ei' })))
      .toBe("FluentBitSidecar 'test/logs': 'cpuLimit' '1Ei' is more CPU than any node has: give cores or millicores (e.g. '200m').");
  });

  test("PriorityClass: an unknown preemptionPolicy was written as is", () => {
    expect(errorOf(() => new PriorityClass(Testing.chart(), 'critical', { value: 1000, description: 'd', preemptionPolicy: 'Always' as any })))
      .toMatch(/^PriorityClass 'test\/critical': 'preemptionPolicy' 'Always' is not one Kubernetes knows: use 'PreemptLowerPriority' or 'Never'\.$/);
  });

  test('RegistryPullSecret: a literal without server or username gave a TypeError or wrote "undefined:..."', () => {
    const optIn = { reason: 'test fixture' };
    expect(errorOf(() => new RegistryPullSecret(Testing.chart(), 'regcred', { literal: { username: 'u', password: 'p', allowPlaintextInManifests: optIn } as any })))
      .toMatch(/^RegistryPullSecret 'test\/regcred': registry server undefined is not a registry host/);
    expect(errorOf(() => new RegistryPullSecret(Testing.chart(), 'regcred', { literal: { server: 'r.io', password: 'p', allowPlaintextInManifests: optIn } as any })))
      .toMatch(/^RegistryPullSecret 'test\/regcred': 'literal.username' and 'literal.password' must both be non-empty/);
  });

  test('GatekeeperConstraint: an unknown enforcementAction was written as is', () => {
    expect(errorOf(() => new GatekeeperConstraint(Testing.chart(), 'c', { rule, enforcementAction: 'block' as any })))
      .toMatch(/^GatekeeperConstraint 'test\/c': 'enforcementAction' 'block' is not one Gatekeeper knows/);
  });

  test('AdmissionPolicy: paramsNamespace and validationActions were not checked', () => {
    expect(errorOf(() => new AdmissionPolicy(Testing.chart(), 'p', { rule, paramsNamespace: 'A_B' }))).toMatch(/^AdmissionPolicy 'test\/p': 'paramsNamespace' 'A_B'/);
    expect(errorOf(() => new AdmissionPolicy(Testing.chart(), 'p', { rule, validationActions: ['Block' as any] }))).toMatch(/'validationActions' entry 'Block' is not one Kubernetes knows/);
    expect(errorOf(() => new AdmissionPolicy(Testing.chart(), 'p', { rule, validationActions: [] }))).toMatch(/must list each action once and at least one/);
    expect(errorOf(() => new AdmissionPolicy(Testing.chart(), 'p', { rule, validationActions: ['Deny', 'Warn'] }))).toMatch(/both 'Deny' and 'Warn'/);
  });

  test('KubeletHardening: a shutdownGracePeriod of 1500 ms gave cdk8s\'s raw "cannot be converted" error', () => {
    expect(errorOf(() => new KubeletHardening(Testing.chart(), 'kubelet', { shutdownGracePeriod: Duration.millis(1500) })))
      .toMatch(/^KubeletHardening 'test\/kubelet': .*shutdownGracePeriod/);
  });
});
