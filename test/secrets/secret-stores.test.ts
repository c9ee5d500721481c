import { Duration, Testing } from 'cdk8s';
import { ClusterSecretStore, SecretStore, SecretStoreProvider } from '../../lib/secrets';

function chart(namespace: string | undefined = 'production') {
  const c = Testing.chart();
  if (namespace !== undefined) (c as any).namespace = namespace;
  return c;
}

const vaultK8s = SecretStoreProvider.vault({ server: 'https://vault.company.com:8200', auth: { kubernetes: { role: 'production-apps' } } });

describe('SecretStore', () => {
  test('Vault with Kubernetes auth, KV v2 under secret/', () => {
    const c = chart();
    const store = new SecretStore(c, 'vault', { provider: vaultK8s });
    expect(store.storeKind).toBe('SecretStore');
    expect(Testing.synth(c)).toEqual([{
      apiVersion: 'external-secrets.io/v1', kind: 'SecretStore',
      metadata: { name: 'vault', namespace: 'production' },
      spec: { provider: { vault: { server: 'https://vault.company.com:8200', path: 'secret', version: 'v2', auth: { kubernetes: { mountPath: 'kubernetes', role: 'production-apps' } } } } },
    }]);
  });

  test('Vault with a token kept in a Secret, a namespace and refresh interval', () => {
    const c = chart();
    new SecretStore(c, 'vault', {
      provider: SecretStoreProvider.vault({ server: 'https://vault:8200', path: 'kv', version: 'v1', vaultNamespace: 'team-a', auth: { tokenSecret: { name: 'vault-token', key: 'token' } } }),
      refreshInterval: Duration.minutes(5),
    });
    const [obj] = Testing.synth(c);
    expect(obj.spec.provider.vault).toEqual({ server: 'https://vault:8200', path: 'kv', version: 'v1', namespace: 'team-a', auth: { tokenSecretRef: { name: 'vault-token', key: 'token' } } });
    expect(obj.spec.refreshInterval).toBe(300);
  });

  test('AWS Secrets Manager with IRSA service account and a role', () => {
    const c = chart();
    new SecretStore(c, 'aws', { provider: SecretStoreProvider.awsSecretsManager({ region: 'eu-west-1', role: 'arn:aws:iam::123456789012:role/eso', serviceAccount: { name: 'external-secrets' } }) });
    expect(Testing.synth(c)[0].spec.provider).toEqual({ aws: { service: 'SecretsManager', region: 'eu-west-1', role: 'arn:aws:iam::123456789012:role/eso', auth: { jwt: { serviceAccountRef: { name: 'external-secrets' } } } } });
  });

  test('throws for bad Vault settings', () => {
    const v = (o: any) => () => new SecretStore(chart(), 's', { provider: SecretStoreProvider.vault(o) });
    expect(v({ server: 'vault:8200', auth: { kubernetes: { role: 'r' } } })).toThrow(/SecretStore 'test\/s': Vault server 'vault:8200' is not a URL/);
    expect(v({ server: 'http://vault:8200', auth: { kubernetes: { role: 'r' } } })).toThrow(/Vault server 'http:\/\/vault:8200' uses plain http, which sends the Vault token and every secret in clear: use https, or set 'plainHttpReason'/);
    expect(v({ server: 'https://vault', path: '/secret/', auth: { kubernetes: { role: 'r' } } })).toThrow(/Vault path '\/secret\/' is not a mount path/);
    expect(v({ server: 'https://vault', auth: {} })).toThrow(/Vault 'auth' must set exactly one of 'kubernetes'/);
    expect(v({ server: 'https://vault', auth: { kubernetes: { role: ' ' } } })).toThrow(/Vault 'auth.kubernetes.role' is empty/);
    expect(v({ server: 'https://vault', auth: { tokenSecret: { name: 'T', key: 'k' } } })).toThrow(/Vault 'auth.tokenSecret.name' 'T' is not a valid Secret name/);
    expect(v({ server: 'https://vault', auth: { kubernetes: { role: 'r', serviceAccount: { name: 'sa', namespace: 'other' } } } })).toThrow(/sets namespace 'other': a SecretStore may only use ServiceAccounts of its own namespace/);
  });

  test('allows plain http Vault with a reason', () => {
    const c = chart();
    new SecretStore(c, 's', { provider: SecretStoreProvider.vault({ server: 'http://vault.vault:8200', plainHttpReason: 'mesh mTLS', auth: { kubernetes: { role: 'r' } } }) });
    expect(Testing.synth(c)[0].spec.provider.vault.server).toBe('http://vault.vault:8200');
  });

  test('throws for bad AWS settings and names', () => {
    const a = (o: any) => () => new SecretStore(chart(), 's', { provider: SecretStoreProvider.awsSecretsManager(o) });
    expect(a({ region: 'europe' })).toThrow(/AWS region 'europe' is not a region code/);
    expect(a({ region: 'eu-west-1', role: 'acs:ram::1:role/x' })).toThrow(/AWS role 'acs:ram::1:role\/x' is not an IAM role ARN/);
    expect(a({ region: 'eu-west-1', serviceAccount: { name: 'Bad' } })).toThrow(/AWS serviceAccount.name 'Bad' is not a valid ServiceAccount name/);
    expect(() => new SecretStore(chart(), 's', { name: 'S', provider: vaultK8s })).toThrow(/name 'S' is not a valid DNS-1123 subdomain/);
  });
});

describe('ClusterSecretStore', () => {
  test('is limited to the listed namespaces and carries no namespace', () => {
    const c = Testing.chart();
    const store = new ClusterSecretStore(c, 'vault', {
      provider: SecretStoreProvider.vault({ server: 'https://vault:8200', auth: { kubernetes: { role: 'eso', serviceAccount: { name: 'external-secrets', namespace: 'external-secrets' } } } }),
      namespaces: ['staging', 'production'],
    });
    expect(store.storeKind).toBe('ClusterSecretStore');
    const [obj] = Testing.synth(c);
    expect(obj.kind).toBe('ClusterSecretStore');
    expect(obj.metadata).toEqual({ name: 'vault' });
    expect(obj.spec.conditions).toEqual([{ namespaces: ['production', 'staging'] }]);
    expect(obj.spec.provider.vault.auth.kubernetes.serviceAccountRef).toEqual({ name: 'external-secrets', namespace: 'external-secrets' });
  });

  test('throws in a namespaced chart: a ClusterSecretStore is cluster-scoped', () => {
    expect(() => new ClusterSecretStore(chart('production'), 'c', { provider: vaultK8s, namespaces: ['p'] }))
      .toThrow("ClusterSecretStore 'test/c': ClusterSecretStore is cluster-scoped, but its chart sets namespace 'production': create it in a chart without a namespace, e.g. the cluster baseline chart.");
  });

  test('throws for no namespaces and a service account without namespace', () => {
    expect(() => new ClusterSecretStore(Testing.chart(), 'c', { provider: vaultK8s, namespaces: [] })).toThrow(/ClusterSecretStore 'test\/c': 'namespaces' is empty/);
    expect(() => new ClusterSecretStore(Testing.chart(), 'c', { provider: SecretStoreProvider.awsSecretsManager({ region: 'us-east-1', serviceAccount: { name: 'eso' } }), namespaces: ['p'] }))
      .toThrow(/AWS serviceAccount 'eso' has no namespace: a ClusterSecretStore serves every namespace/);
    expect(() => new ClusterSecretStore(Testing.chart(), 'c', { provider: SecretStoreProvider.vault({ server: 'https://v', auth: { tokenSecret: { name: 't', key: 'k' } } }), namespaces: ['p'] }))
      .toThrow(/Vault 'auth.tokenSecret' 't' has no namespace/);
    expect(() => new ClusterSecretStore(Testing.chart(), 'c', { provider: vaultK8s, namespaces: ['A'] })).toThrow(/namespaces entry 'A' is not a valid DNS-1123 label/);
    expect(() => new ClusterSecretStore(Testing.chart(), 'c', { provider: SecretStoreProvider.awsSecretsManager({ region: 'us-east-1', serviceAccount: { name: 'eso', namespace: 'Bad' } }), namespaces: ['p'] }))
      .toThrow(/AWS serviceAccount.namespace 'Bad' is not a valid namespace: use a DNS-1123 label/);
    expect(() => new ClusterSecretStore(Testing.chart(), 'c', { provider: vaultK8s, namespaces: ['p'], refreshInterval: Duration.millis(100) }))
      .toThrow(/ClusterSecretStore 'test\/c': 'refreshInterval' \(0.1s\) is not allowed: use a whole number of seconds of at least 1/);
  });
});
