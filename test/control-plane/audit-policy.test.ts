import { Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { nodeChart } from './fixtures';
import { AuditLevel, AuditPolicy, AuditRule } from '../../lib/cluster';

function policy(configure: (p: AuditPolicy) => void = () => {}) {
  const chart = nodeChart();
  const p = new AuditPolicy(chart, 'audit');
  configure(p);
  return Testing.synth(chart)[0];
}

/** The level the API server gives a resource request: the first matching rule's (audit rules evaluate in order). */
function levelFor(rules: any[], req: { group: string; resource: string; verb: string; user: string; namespace?: string }): string {
  for (const r of rules) {
    if (r.nonResourceURLs !== undefined) continue;
    if (r.users !== undefined && !r.users.includes(req.user)) continue;
    if (r.verbs !== undefined && !r.verbs.includes(req.verb)) continue;
    if (r.namespaces !== undefined && !r.namespaces.includes(req.namespace ?? '')) continue;
    if (r.userGroups !== undefined) continue;
    const matchesGroup = (g: any) => g.group === req.group && (g.resources === undefined || g.resources.includes(req.resource));
    if (r.resources !== undefined && !r.resources.some(matchesGroup)) continue;
    return r.level;
  }
  return 'None';
}

describe('AuditPolicy: CIS Kubernetes Benchmark v1.8.0, 3.2.1 and 3.2.2', () => {
  const doc = policy();
  test('an audit.k8s.io/v1 Policy without the RequestReceived stage', () => {
    expect([doc.apiVersion, doc.kind, doc.omitStages]).toEqual(['audit.k8s.io/v1', 'Policy', ['RequestReceived']]);
  });
  test('Secrets, ConfigMaps and TokenReviews at Metadata only, whoever asks, for every verb', () => {
    for (const verb of ['get', 'list', 'create', 'update', 'patch', 'delete']) {
      expect(levelFor(doc.rules, { group: '', resource: 'secrets', verb, user: 'alice', namespace: 'production' })).toBe('Metadata');
      expect(levelFor(doc.rules, { group: '', resource: 'configmaps', verb, user: 'system:kube-controller-manager', namespace: 'kube-system' })).toBe('Metadata');
    }
    expect(levelFor(doc.rules, { group: 'authentication.k8s.io', resource: 'tokenreviews', verb: 'create', user: 'system:kube-proxy' })).toBe('Metadata');
    expect(levelFor(doc.rules, { group: '', resource: 'serviceaccounts/token', verb: 'create', user: 'system:node:a' })).toBe('Metadata');
  });
  test('no rule ever records a Secret above Metadata', () => {
    const secretRules = doc.rules.filter((r: any) => r.resources === undefined || r.resources.some((g: any) => g.group === '' && (g.resources === undefined || g.resources.includes('secrets'))));
    expect(secretRules[0].level).toBe('Metadata');
  });
  test('RBAC changes and exec/attach/port-forward at RequestResponse', () => {
    expect(levelFor(doc.rules, { group: 'rbac.authorization.k8s.io', resource: 'clusterrolebindings', verb: 'create', user: 'alice' })).toBe('RequestResponse');
    for (const sub of ['pods/exec', 'pods/attach', 'pods/portforward']) {
      expect(levelFor(doc.rules, { group: '', resource: sub, verb: 'create', user: 'alice', namespace: 'production' })).toBe('RequestResponse');
    }
  });
  test('noisy read-only traffic is dropped: kube-proxy watches, health endpoints, events', () => {
    expect(levelFor(doc.rules, { group: '', resource: 'endpoints', verb: 'watch', user: 'system:kube-proxy' })).toBe('None');
    expect(doc.rules).toContainEqual({ level: 'None', nonResourceURLs: ['/healthz*', '/livez*', '/readyz*', '/version', '/metrics', '/openapi*'] });
    expect(levelFor(doc.rules, { group: '', resource: 'events', verb: 'create', user: 'system:node:a', namespace: 'production' })).toBe('None');
  });
  test('everything else at Metadata, last', () => {
    expect(doc.rules[doc.rules.length - 1]).toEqual({ level: 'Metadata' });
    expect(levelFor(doc.rules, { group: 'apps', resource: 'deployments', verb: 'update', user: 'alice', namespace: 'production' })).toBe('Metadata');
  });
});

describe('AuditPolicy.addRule', () => {
  test('adds rules after the built-in ones, before the default', () => {
    const doc = policy((p) => p.addRule({ level: 'Request', verbs: ['create', 'update'], resources: [{ group: 'apps', resources: ['deployments'] }] }));
    expect(doc.rules[doc.rules.length - 2]).toEqual({ level: 'Request', verbs: ['create', 'update'], resources: [{ group: 'apps', resources: ['deployments'] }] });
  });
  test.each<[AuditRule, string]>([
    [{ level: 'RequestResponse' }, "AuditPolicy 'node-files/audit': rule #0 records 'secrets', 'configmaps', 'tokenreviews.authentication.k8s.io', 'serviceaccounts/token' at 'RequestResponse', which writes their data (passwords, keys, tokens) into the audit log: use level 'Metadata' for them, or name the resources the rule is for."],
    [{ level: 'Request', resources: [{ group: '' }] }, "records 'secrets', 'configmaps', 'serviceaccounts/token' at 'Request'"],
    [{ level: 'Request', resources: [{ group: '', resources: ['*'] }] }, "records 'secrets', 'configmaps', 'serviceaccounts/token' at 'Request'"],
    [{ level: 'RequestResponse', users: ['alice'], resources: [{ group: '', resources: ['secrets'] }] }, "records 'secrets' at 'RequestResponse'"],
    [{ level: 'Request', resources: [{ group: '', resources: ['serviceaccounts/*'] }] }, "records 'serviceaccounts/token' at 'Request'"],
    [{ level: 'Verbose' as AuditLevel }, "rule #0 level 'Verbose' is not an audit level"],
  ])('refuses %j', (rule, message) => {
    expect(() => policy((p) => p.addRule(rule))).toThrow(message);
  });
  test('non-resource URLs may be recorded in full', () => {
    expect(() => policy((p) => p.addRule({ level: 'RequestResponse', nonResourceUrls: ['/apis*'] }))).not.toThrow();
  });
  test('a default level above Metadata is refused (it would record Secret bodies of unlisted verbs)', () => {
    expect(() => new AuditPolicy(nodeChart(), 'audit', { defaultLevel: 'RequestResponse' })).toThrow(/defaultLevel records 'secrets'/);
  });
  test('property: a rule is refused exactly when it can match Secrets at Request or RequestResponse', () => {
    const level = fc.constantFrom<AuditLevel>('None', 'Metadata', 'Request', 'RequestResponse');
    const group = fc.constantFrom('', 'apps', 'rbac.authorization.k8s.io');
    const resource = fc.constantFrom('secrets', 'pods', 'deployments', '*', 'secrets/*');
    const rule = fc.record({
      level,
      resources: fc.option(
        fc.array(
          fc.record({ group, resources: fc.option(fc.array(resource, { maxLength: 3 }), { nil: undefined }) }),
          { minLength: 1, maxLength: 3 },
        ),
        { nil: undefined },
      ),
    });
    fc.assert(fc.property(rule, (r) => {
      const body = r.level === 'Request' || r.level === 'RequestResponse';
      const matchesSecrets = r.resources === undefined || r.resources.some((g) => g.group === '' && (g.resources === undefined || g.resources.length === 0 || g.resources.some((x) => x === 'secrets' || x === '*')));
      const refused = (() => { try { policy((p) => p.addRule(r as AuditRule)); return false; } catch { return true; } })();
      // Refused rules always match a sensitive resource; rules matching Secrets at a body level are always refused.
      if (body && matchesSecrets) return refused;
      if (!body) return !refused;
      return true;
    }), { numRuns: 150 });
  });
});
