import { ApiObject, Testing } from 'cdk8s';
import { exemptFromConformanceCheck } from '../../lib/conformance';

function deployment() {
  const chart = Testing.chart();
  const obj = new ApiObject(chart, 'api', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api' } });
  return { chart, obj };
}

describe('exemptFromConformanceCheck', () => {
  test('writes kube-linter\'s annotation with the reason as its value, and the reason beside it', () => {
    const { chart, obj } = deployment();
    exemptFromConformanceCheck(obj, { tool: 'kube-linter', check: 'no-anti-affinity', reason: 'single replica by design' });
    expect(Testing.synth(chart)[0].metadata.annotations).toEqual({
      'ignore-check.kube-linter.io/no-anti-affinity': 'single replica by design',
      'conformance.cdk8s-guardrails.io/reason.no-anti-affinity': 'single replica by design',
    });
  });

  test('merges kube-score checks into one sorted kube-score/ignore list', () => {
    const { chart, obj } = deployment();
    exemptFromConformanceCheck(obj, { tool: 'kube-score', check: 'pod-probes', reason: 'a batch job' });
    exemptFromConformanceCheck(obj, { tool: 'kube-score', check: 'container-security-context-user-group-id', reason: 'image uid 1001' });
    const annotations = Testing.synth(chart)[0].metadata.annotations;
    expect(annotations['kube-score/ignore']).toBe('container-security-context-user-group-id,pod-probes');
    expect(annotations['conformance.cdk8s-guardrails.io/reason.pod-probes']).toBe('a batch job');
    expect(annotations['conformance.cdk8s-guardrails.io/reason.container-security-context-user-group-id']).toBe('image uid 1001');
  });

  test('writes Polaris\' <check>-exempt annotation as "true"', () => {
    const { chart, obj } = deployment();
    exemptFromConformanceCheck(obj, { tool: 'polaris', check: 'priorityClassNotSet', reason: 'no priority classes in this cluster' });
    const annotations = Testing.synth(chart)[0].metadata.annotations;
    expect(annotations['polaris.fairwinds.com/priorityClassNotSet-exempt']).toBe('true');
    expect(annotations['conformance.cdk8s-guardrails.io/reason.priorityClassNotSet']).toBe('no priority classes in this cluster');
  });

  test('throws when the reason is blank', () => {
    const { obj } = deployment();
    expect(() => exemptFromConformanceCheck(obj, { tool: 'polaris', check: 'priorityClassNotSet', reason: '  ' }))
      .toThrow(/the exemption from polaris check 'priorityClassNotSet' has no reason: write why/);
  });

  test('throws when the check id is not an id', () => {
    const { obj } = deployment();
    expect(() => exemptFromConformanceCheck(obj, { tool: 'kube-score', check: 'pod probes', reason: 'x' }))
      .toThrow(/conformance check id 'pod probes' is not a check id: use the id the tool prints/);
  });

  test('throws for an unknown tool', () => {
    const { obj } = deployment();
    expect(() => exemptFromConformanceCheck(obj, { tool: 'datree' as any, check: 'x', reason: 'y' }))
      .toThrow(/unknown conformance tool 'datree': use 'kube-linter', 'kube-score' or 'polaris'/);
  });
});
