import { Testing } from 'cdk8s';
import { ANNOTATION_DOMAIN, GuardrailsAnnotations, RbacRole, SecureDeployment, WorkloadProbe } from '../../lib';
import { readGuardrailsAnnotation } from '../../lib/common/annotations';
import { findSecretLeaks } from '../../lib/secrets';

function chart() {
  const c = Testing.chart();
  (c as any).namespace = 'production';
  return c;
}

describe('annotation keys', () => {
  test('every key lives under the project domain, none under cdk8s.io', () => {
    expect(ANNOTATION_DOMAIN).toBe('cdk8s-guardrails.io');
    for (const key of Object.values(GuardrailsAnnotations)) {
      expect(key.split('/')[0]).toMatch(/(^|\.)cdk8s-guardrails\.io$/);
      expect(key).not.toMatch(/cdk8s\.io\//);
    }
  });

  test('constructs write the new keys', () => {
    const c = chart();
    new SecureDeployment(c, 'api', {
      image: 'registry.example.com/api:1.0.0',
      ports: [{ name: 'http', number: 8080 }],
      probes: { startup: WorkloadProbe.disabled('the app starts in under a second') },
      security: { writableRootFilesystem: true, unsafeReason: 'writes its cache to /' },
    });
    new RbacRole(c, 'reader', { rules: [{ apiGroups: [''], resources: ['*'], verbs: ['get'] }], wildcards: { reason: 'reads every core resource' } } as any);
    const text = JSON.stringify(Testing.synth(c));
    expect(text).toContain('"cdk8s-guardrails.io/unsafe-reason":"writes its cache to /"');
    expect(text).toContain('"cdk8s-guardrails.io/probe-disabled.startup"');
    expect(text).toContain('"cdk8s-guardrails.io/wildcard-reason":"reads every core resource"');
    expect(text).not.toContain('guardrails.cdk8s.io');
  });
});

describe('keys of the previous domain (guardrails.cdk8s.io) are still read for one release', () => {
  const literalSecret = (annotations: Record<string, string>) => ({
    apiVersion: 'v1', kind: 'Secret', metadata: { name: 'legacy', namespace: 'production', annotations }, data: { token: 'c2VjcmV0' },
  });

  test('the leak guard accepts the old plaintext opt-in key', () => {
    expect(findSecretLeaks([literalSecret({ 'guardrails.cdk8s.io/plaintext-secret-reason': 'test fixture' })])).toEqual([]);
    expect(findSecretLeaks([literalSecret({ 'cdk8s-guardrails.io/plaintext-secret-reason': 'test fixture' })])).toEqual([]);
    expect(findSecretLeaks([literalSecret({})])).not.toEqual([]);
  });

  test('readGuardrailsAnnotation prefers the new key and falls back to the old one', () => {
    const key = GuardrailsAnnotations.UNSAFE_REASON;
    expect(readGuardrailsAnnotation({ 'guardrails.cdk8s.io/unsafe-reason': 'old' }, key)).toBe('old');
    expect(readGuardrailsAnnotation({ 'guardrails.cdk8s.io/unsafe-reason': 'old', [key]: 'new' }, key)).toBe('new');
    expect(readGuardrailsAnnotation(undefined, key)).toBeUndefined();
  });

  test('podAnnotations may not set keys under either domain', () => {
    for (const key of ['cdk8s-guardrails.io/unsafe-reason', 'guardrails.cdk8s.io/unsafe-reason']) {
      expect(() => new SecureDeployment(chart(), 'api', {
        image: 'registry.example.com/api:1.0.0', podAnnotations: { [key]: 'x' },
      } as any)).toThrow(/unsafe-reason/);
    }
  });
});
