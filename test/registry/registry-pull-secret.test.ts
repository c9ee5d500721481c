import { ApiObject, Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { addImagePullSecrets, DefaultServiceAccount, RegistryPullSecret } from '../../lib/registry';
import { SecureDeployment } from '../../lib/workload';
import { ClusterSecretStore, findSecretLeaks, SecretStore } from '../../lib/secrets';

function chart(namespace = 'production') {
  const c = Testing.chart();
  (c as any).namespace = namespace;
  return c;
}

describe('RegistryPullSecret', () => {
  test('fromName references an existing secret and emits nothing', () => {
    const c = chart();
    const ref = RegistryPullSecret.fromName(c, 'regcred', 'regcred');
    expect(ref.secretName).toBe('regcred');
    expect(Testing.synth(c)).toEqual([]);
  });

  test('fromName throws for a bad secret name', () => {
    expect(() => RegistryPullSecret.fromName(chart(), 'r', 'Reg_Cred')).toThrow(/'test\/r': secret name 'Reg_Cred' is not a valid Secret name/);
  });

  test('fromExternalSecret writes an ExternalSecret of type dockerconfigjson, no credentials', () => {
    const c = chart();
    const store = ClusterSecretStore.fromName('vault');
    new RegistryPullSecret(c, 'regcred', { fromExternalSecret: { store, remoteKey: 'registry/company', property: 'dockerconfigjson' } });
    const manifests = Testing.synth(c);
    expect(manifests).toEqual([{
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name: 'regcred', namespace: 'production' },
      spec: {
        secretStoreRef: { name: 'vault', kind: 'ClusterSecretStore' },
        refreshInterval: '1h',
        target: {
          name: 'regcred', creationPolicy: 'Owner',
          template: { engineVersion: 'v2', type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': '{{ .dockerconfigjson | toString }}' } },
        },
        data: [{ secretKey: 'dockerconfigjson', remoteRef: { key: 'registry/company', property: 'dockerconfigjson' } }],
      },
    }]);
    expect(findSecretLeaks(manifests)).toEqual([]);
  });

  test('refuses literal credentials without the opt-in and shows the ExternalSecret alternative', () => {
    expect(() => new RegistryPullSecret(chart(), 'regcred', { literal: { server: 'registry.company.com', username: 'u', password: 'p' } }))
      .toThrow(/RegistryPullSecret 'test\/regcred': literal secret values would be written into the manifests, and so into git: read them from a secret manager instead, e.g. new RegistryPullSecret\(this, 'regcred', \{ fromExternalSecret: \{ store, remoteKey: '<docker config key>' \} \}\)/);
  });

  test('writes literal credentials with the opt-in, marked with the reason', () => {
    const c = chart();
    new RegistryPullSecret(c, 'regcred', { literal: { server: 'registry.company.com', username: 'bot', password: 's3cr3t-token', allowPlaintextInManifests: { reason: 'kind test cluster' } } });
    const [secret] = Testing.synth(c);
    expect(secret.type).toBe('kubernetes.io/dockerconfigjson');
    expect(secret.metadata.annotations).toEqual({ 'guardrails.cdk8s.io/plaintext-secret-reason': 'kind test cluster' });
    const config = JSON.parse(Buffer.from(secret.data['.dockerconfigjson'], 'base64').toString());
    expect(config).toEqual({ auths: { 'registry.company.com': { username: 'bot', password: 's3cr3t-token', auth: Buffer.from('bot:s3cr3t-token').toString('base64') } } });
  });

  test('throws for both or neither source, an empty reason, a bad server or empty credentials', () => {
    const store = SecretStore.fromName('s', 'production');
    expect(() => new RegistryPullSecret(chart(), 'r', {})).toThrow(/give exactly one of 'fromExternalSecret' .* RegistryPullSecret.fromName\(scope, id, 'regcred'\)/);
    expect(() => new RegistryPullSecret(chart(), 'r', { fromExternalSecret: { store, remoteKey: 'k' }, literal: { server: 'a.io', username: 'u', password: 'p' } })).toThrow(/give exactly one of/);
    expect(() => new RegistryPullSecret(chart(), 'r', { literal: { server: 'a.io', username: 'u', password: 'p', allowPlaintextInManifests: { reason: '' } } })).toThrow(/'allowPlaintextInManifests.reason' is empty/);
    expect(() => new RegistryPullSecret(chart(), 'r', { literal: { server: 'https://a.io/v2', username: 'u', password: 'p', allowPlaintextInManifests: { reason: 'x' } } })).toThrow(/registry server 'https:\/\/a.io\/v2' is not a registry host/);
    expect(() => new RegistryPullSecret(chart(), 'r', { literal: { server: 'a.io', username: '', password: 'p', allowPlaintextInManifests: { reason: 'x' } } })).toThrow(/'literal.username' and 'literal.password' must both be non-empty/);
  });

  test('accepts a registry host with a port', () => {
    const c = chart();
    new RegistryPullSecret(c, 'r', { literal: { server: 'registry.local:5000', username: 'u', password: 'p', allowPlaintextInManifests: { reason: 'x' } } });
    expect(Testing.synth(c)).toHaveLength(1);
  });
});

describe('pull secret wiring', () => {
  test('DefaultServiceAccount carries the pull secrets and mounts no token', () => {
    const c = chart();
    new DefaultServiceAccount(c, 'sa', { imagePullSecrets: [RegistryPullSecret.fromName(c, 'b', 'regcred-b'), RegistryPullSecret.fromName(c, 'a', 'regcred-a')] });
    expect(Testing.synth(c)).toEqual([{
      apiVersion: 'v1', kind: 'ServiceAccount',
      metadata: { name: 'default', namespace: 'production' },
      automountServiceAccountToken: false,
      imagePullSecrets: [{ name: 'regcred-a' }, { name: 'regcred-b' }],
    }]);
  });

  test('DefaultServiceAccount throws for no secrets or a secret of another namespace', () => {
    const c = chart();
    expect(() => new DefaultServiceAccount(c, 'sa1', { imagePullSecrets: [] })).toThrow(/DefaultServiceAccount 'test\/sa1': 'imagePullSecrets' is empty/);
    expect(() => new DefaultServiceAccount(c, 'sa2', { imagePullSecrets: [RegistryPullSecret.fromName(c, 'x', 'regcred', 'staging')] }))
      .toThrow(/pull secret 'regcred' is in namespace 'staging', not 'production': a ServiceAccount can only use pull secrets of its own namespace/);
  });

  test('addImagePullSecrets patches the pod template of a Deployment', () => {
    const c = chart();
    const deployment = new k8s.KubeDeployment(c, 'd', {
      metadata: { name: 'api' },
      spec: { selector: { matchLabels: { app: 'api' } }, template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'api', image: 'a:1' }] } } },
    });
    addImagePullSecrets(deployment, RegistryPullSecret.fromName(c, 'r', 'regcred'));
    expect(Testing.synth(c)[0].spec.template.spec.imagePullSecrets).toEqual([{ name: 'regcred' }]);
  });

  test('addImagePullSecrets merges with earlier calls and with a SecureDeployment\'s own list (issue 16)', () => {
    const c = chart();
    const deployment = new k8s.KubeDeployment(c, 'd', {
      metadata: { name: 'api' },
      spec: { selector: { matchLabels: { app: 'api' } }, template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'api', image: 'a:1' }] } } },
    });
    addImagePullSecrets(deployment, RegistryPullSecret.fromName(c, 'r1', 'regcred'));
    addImagePullSecrets(deployment, RegistryPullSecret.fromName(c, 'r2', 'mirror'));
    expect(Testing.synth(c)[0].spec.template.spec.imagePullSecrets).toEqual([{ name: 'mirror' }, { name: 'regcred' }]);
    const sd = new SecureDeployment(c, 'web', { image: 'myregistry.com/web:v1.0.0', imagePullSecrets: ['own'] });
    addImagePullSecrets(ApiObject.of(sd.deployment), RegistryPullSecret.fromName(c, 'r3', 'regcred'));
    sd.addImagePullSecrets('later');
    const web = Testing.synth(c).find((o: any) => o.kind === 'Deployment' && o.metadata.name === 'web');
    expect(web.spec.template.spec.imagePullSecrets).toEqual([{ name: 'later' }, { name: 'own' }, { name: 'regcred' }]);
  });

  test('addImagePullSecrets throws for a secret of another namespace', () => {
    const c = chart();
    const obj = new ApiObject(c, 'd', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api' } });
    expect(() => addImagePullSecrets(obj, RegistryPullSecret.fromName(c, 'r', 'regcred', 'staging')))
      .toThrow(/pull secret 'regcred' is in namespace 'staging' but Deployment 'api' runs in 'production'/);
  });
});
