import { Duration, Testing } from 'cdk8s';
import { ClusterSecretStore, ExternalSecret, SecretStore } from '../../lib/secrets';

function chart() {
  const c = Testing.chart();
  (c as any).namespace = 'production';
  return c;
}

describe('ExternalSecret', () => {
  test('maps remote keys to Secret keys, sorted, with an hourly refresh', () => {
    const c = chart();
    const es = new ExternalSecret(c, 'user-service-secrets', {
      store: ClusterSecretStore.fromName('vault'),
      data: { JWT_SECRET: { key: 'production/user-service', property: 'jwt' }, DATABASE_URL: 'production/user-service/database-url' },
    });
    expect(es.secretName).toBe('user-service-secrets');
    expect(es.secretKeys).toEqual(['DATABASE_URL', 'JWT_SECRET']);
    expect(Testing.synth(c)).toEqual([{
      apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret',
      metadata: { name: 'user-service-secrets', namespace: 'production' },
      spec: {
        secretStoreRef: { name: 'vault', kind: 'ClusterSecretStore' },
        refreshInterval: '1h',
        target: { name: 'user-service-secrets', creationPolicy: 'Owner' },
        data: [
          { secretKey: 'DATABASE_URL', remoteRef: { key: 'production/user-service/database-url' } },
          { secretKey: 'JWT_SECRET', remoteRef: { key: 'production/user-service', property: 'jwt' } },
        ],
      },
    }]);
  });

  test('extracts whole remote keys and renders Go durations', () => {
    const c = chart();
    new ExternalSecret(c, 'es', { store: SecretStore.fromName('aws', 'production'), extractKeys: ['production/app'], refreshInterval: Duration.minutes(90) });
    const [obj] = Testing.synth(c);
    expect(obj.spec.dataFrom).toEqual([{ extract: { key: 'production/app' } }]);
    expect(obj.spec.refreshInterval).toBe('1h30m');
    expect(obj.spec.secretStoreRef).toEqual({ name: 'aws', kind: 'SecretStore' });
  });

  test('throws for no data, a bad key, an empty remote key, a store of another namespace or bad refresh', () => {
    const store = ClusterSecretStore.fromName('vault');
    expect(() => new ExternalSecret(chart(), 'e', { store })).toThrow(/ExternalSecret 'test\/e': maps no values: give 'data'/);
    expect(() => new ExternalSecret(chart(), 'e', { store, data: { 'BAD KEY': 'k' } })).toThrow(/Secret key 'BAD KEY' is not allowed/);
    expect(() => new ExternalSecret(chart(), 'e', { store, data: { K: '' } })).toThrow(/the remote key of Secret key 'K' is empty/);
    expect(() => new ExternalSecret(chart(), 'e', { store, extractKeys: [''] })).toThrow(/an 'extractKeys' entry is empty/);
    expect(() => new ExternalSecret(chart(), 'e', { store, data: { K: 'k' }, templateData: { 'a b': '{{ .K }}' } })).toThrow(/template key 'a b' is not allowed/);
    expect(() => new ExternalSecret(chart(), 'e', { store: SecretStore.fromName('s', 'staging'), data: { K: 'k' } }))
      .toThrow(/SecretStore 's' is in namespace 'staging' but this ExternalSecret is in 'production': a SecretStore serves its own namespace only/);
    expect(() => new ExternalSecret(chart(), 'e', { store, data: { K: 'k' }, refreshInterval: Duration.millis(500) })).toThrow(/'refreshInterval' \(0.5s\) is not allowed/);
  });
});
