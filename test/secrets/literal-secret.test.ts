import { Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import { assertNoSecretLeaks, ExternalSecret, ClusterSecretStore, findSecretLeaks, LiteralSecret } from '../../lib/secrets';
import { MAX_SECRET_BYTES } from '../../lib/secrets/literal-secret';

function chart() {
  const c = Testing.chart();
  (c as any).namespace = 'production';
  return c;
}

describe('LiteralSecret', () => {
  test('refuses literal data without the opt-in and shows the ExternalSecret to write', () => {
    expect(() => new LiteralSecret(chart(), 'db', { data: { 'password': 'hunter2-hunter2', 'tls.crt': 'x' } }))
      .toThrow("LiteralSecret 'test/db': literal secret values would be written into the manifests, and so into git: read them from a secret manager instead, e.g. new ExternalSecret(this, 'db', { store, data: { password: '<remote key>', 'tls.crt': '<remote key>' } }); or, if plaintext is really intended, set allowPlaintextInManifests: { reason: '...' }.");
  });

  test('writes base64 data with the reason annotation when opted in', () => {
    const c = chart();
    new LiteralSecret(c, 'db', { data: { password: 'hunter2' }, allowPlaintextInManifests: { reason: 'local demo only' } });
    expect(Testing.synth(c)).toEqual([{
      apiVersion: 'v1', kind: 'Secret',
      metadata: { name: 'db', namespace: 'production', annotations: { 'cdk8s-guardrails.io/plaintext-secret-reason': 'local demo only' } },
      type: 'Opaque',
      data: { password: Buffer.from('hunter2').toString('base64') },
    }]);
  });

  test('enforces the 1 MiB limit', () => {
    expect(() => new LiteralSecret(chart(), 'big', { data: { blob: 'x'.repeat(MAX_SECRET_BYTES + 1) }, allowPlaintextInManifests: { reason: 'r' } }))
      .toThrow(/the Secret holds 1048577 bytes of data, over the Kubernetes limit of 1048576 bytes \(1 MiB\): split it/);
    expect(() => new LiteralSecret(chart(), 'ok', { data: { blob: 'x'.repeat(MAX_SECRET_BYTES) }, allowPlaintextInManifests: { reason: 'r' } })).not.toThrow();
  });

  test('throws for an empty reason, empty data or a bad key', () => {
    expect(() => new LiteralSecret(chart(), 's', { data: { a: 'b' }, allowPlaintextInManifests: { reason: '  ' } })).toThrow(/'allowPlaintextInManifests.reason' is empty/);
    expect(() => new LiteralSecret(chart(), 's', { data: {}, allowPlaintextInManifests: { reason: 'r' } })).toThrow(/'data' is empty/);
    expect(() => new LiteralSecret(chart(), 's', { data: { 'a b': 'c' }, allowPlaintextInManifests: { reason: 'r' } })).toThrow(/Secret key 'a b' is not allowed/);
  });
});

describe('findSecretLeaks', () => {
  const SECRET = 'sk_live_9f8e7d6c5b4a';

  test('passes manifests built from ExternalSecrets and an opted-in LiteralSecret', () => {
    const c = chart();
    new ExternalSecret(c, 'app', { store: ClusterSecretStore.fromName('vault'), data: { API_KEY: 'production/app' } });
    new LiteralSecret(c, 'demo', { data: { token: SECRET }, allowPlaintextInManifests: { reason: 'demo' } });
    expect(findSecretLeaks(Testing.synth(c), [SECRET])).toEqual([]);
    expect(() => assertNoSecretLeaks(Testing.synth(c), [SECRET])).not.toThrow();
  });

  test('flags a Secret with data but no opt-in marker', () => {
    const c = chart();
    new k8s.KubeSecret(c, 's', { metadata: { name: 'raw' }, stringData: { a: 'b' } });
    expect(findSecretLeaks(Testing.synth(c))).toEqual([
      "Secret 'production/raw' (manifest #0) carries literal data without the 'cdk8s-guardrails.io/plaintext-secret-reason' opt-in: create it with an ExternalSecret, or with LiteralSecret and allowPlaintextInManifests: { reason }.",
    ]);
  });

  test('flags a known value in plain text, JSON-escaped or base64, and never prints the value', () => {
    const c = chart();
    new k8s.KubeConfigMap(c, 'cm', { metadata: { name: 'cfg' }, data: { url: `postgres://app:${SECRET}@db` } });
    new k8s.KubeConfigMap(c, 'cm2', { metadata: { name: 'cfg2' }, data: { blob: Buffer.from(`prefix-${SECRET}-suffix`).toString('base64') } });
    const errors = findSecretLeaks(Testing.synth(c), [SECRET, 'a"quoted"value']);
    expect(errors).toEqual([
      "ConfigMap 'production/cfg' (manifest #0) contains known secret value #0 (20 characters; not shown): move it to a secret manager and reference it through an ExternalSecret.",
      "ConfigMap 'production/cfg2' (manifest #1) contains known secret value #0 (20 characters; not shown): move it to a secret manager and reference it through an ExternalSecret.",
    ]);
    expect(errors.join()).not.toContain(SECRET);
  });

  test('flags a known value outside the data of its own opted-in Secret', () => {
    const c = chart();
    new LiteralSecret(c, 'demo', { data: { token: SECRET }, allowPlaintextInManifests: { reason: SECRET } });
    expect(findSecretLeaks(Testing.synth(c), [SECRET])).toHaveLength(1);
  });

  test('flags an oversized Secret', () => {
    const big = { kind: 'Secret', metadata: { name: 'big', annotations: { 'cdk8s-guardrails.io/plaintext-secret-reason': 'r' } }, data: { a: Buffer.alloc(MAX_SECRET_BYTES + 10).toString('base64') } };
    expect(findSecretLeaks([big])).toEqual(["Secret 'big' (manifest #0) holds 1048586 bytes of data, over the 1048576-byte (1 MiB) Secret limit: split it."]);
  });

  test('assertNoSecretLeaks throws with every finding; an empty known value is refused', () => {
    const raw = { kind: 'Secret', metadata: { name: 'raw', namespace: 'p' }, data: { a: 'Yg==' } };
    expect(() => assertNoSecretLeaks([raw])).toThrow(/^Secret leak check failed:\n- Secret 'p\/raw' \(manifest #0\) carries literal data/);
    expect(() => findSecretLeaks([], [''])).toThrow(/an empty known secret value matches everything/);
  });

  test('finds a value base64-encoded at any offset inside a larger text', () => {
    const surrounding = fc.string({ maxLength: 12 });
    const secretValue = fc.string({ minLength: 8, maxLength: 40 });
    fc.assert(fc.property(surrounding, secretValue, surrounding, (before, value, after) => {
      const blob = Buffer.from(before + value + after, 'utf8').toString('base64');
      const manifest = { kind: 'ConfigMap', metadata: { name: 'x' }, data: { blob } };
      expect(findSecretLeaks([manifest], [value])).toHaveLength(1);
    }));
  });
});
