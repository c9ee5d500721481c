import { Duration, Testing } from 'cdk8s';
import { parse, stringify } from 'yaml';
import {
  EncryptionAtRest, EncryptionAtRestProps, EncryptionKeySource, EncryptionProvider, findEncryptionKeyLeaks, renderEncryptionConfiguration,
} from '../../lib/cluster';
import { findSecretLeaks } from '../../lib/secrets/leak-guard';
import { nodeChart } from './fixtures';

function encryption(props: EncryptionAtRestProps) {
  const chart = nodeChart();
  const construct = new EncryptionAtRest(chart, 'encryption', props);
  return { construct, doc: Testing.synth(chart)[0] };
}

const KEY = Buffer.alloc(32, 7).toString('base64');

describe('EncryptionAtRest: CIS Kubernetes Benchmark v1.8.0, 1.2.28 and 1.2.29', () => {
  test('AWS KMS v2 plugin socket for Secrets, nothing else', () => {
    const { construct, doc } = encryption({ providers: [EncryptionProvider.awsKms()] });
    expect(doc).toEqual({
      apiVersion: 'apiserver.config.k8s.io/v1',
      kind: 'EncryptionConfiguration',
      resources: [{ resources: ['secrets'], providers: [{ kms: { apiVersion: 'v2', name: 'aws-encryption-provider', endpoint: 'unix:///var/run/kmsplugin/socket.sock', timeout: '3s' } }] }],
    });
    expect(construct.kmsSocketPaths).toEqual(['/var/run/kmsplugin/socket.sock']);
    expect(construct.nodePath).toBe('/etc/kubernetes/encryption-configuration.yaml');
  });
  test('Alibaba Cloud KMS v2 plugin, with its own socket and timeout', () => {
    const { doc } = encryption({ providers: [EncryptionProvider.alibabaKms({ socketPath: '/var/run/ack-kms/plugin.sock', timeout: Duration.seconds(10) })] });
    expect(doc.resources[0].providers[0].kms).toEqual({ apiVersion: 'v2', name: 'alibaba-kms-plugin', endpoint: 'unix:///var/run/ack-kms/plugin.sock', timeout: '10s' });
  });
  test('secretbox from an environment variable: the file holds a placeholder, never the key', () => {
    const { doc } = encryption({ providers: [EncryptionProvider.secretbox('key1', EncryptionKeySource.fromEnvironment('K8S_SECRETBOX_KEY')), EncryptionProvider.identity()] });
    expect(doc.resources[0].providers).toEqual([{ secretbox: { keys: [{ name: 'key1', secret: '{{env:K8S_SECRETBOX_KEY}}' }] } }, { identity: {} }]);
    expect(findEncryptionKeyLeaks([doc])).toEqual([]);
  });
  test('aescbc from a key file', () => {
    const { doc } = encryption({ providers: [EncryptionProvider.aescbc('key2', EncryptionKeySource.fromFile('/etc/kubernetes/keys/aescbc'))], resources: ['secrets', 'configmaps'] });
    expect(doc.resources[0]).toEqual({ resources: ['secrets', 'configmaps'], providers: [{ aescbc: { keys: [{ name: 'key2', secret: '{{file:/etc/kubernetes/keys/aescbc}}' }] } }] });
  });
  test.each<[EncryptionAtRestProps, string]>([
    [{ providers: [] }, "EncryptionAtRest 'node-files/encryption': providers is empty: name at least one, e.g. [EncryptionProvider.awsKms()]."],
    [{ providers: [EncryptionProvider.identity(), EncryptionProvider.awsKms()] }, "EncryptionAtRest 'node-files/encryption': providers[0] is identity (no encryption) but is not last, so every write is stored in plaintext: put an encrypting provider first and identity last, only to read data written before encryption was on."],
    [{ providers: [EncryptionProvider.identity()] }, 'the only provider is identity, so nothing is encrypted'],
    [{ providers: [EncryptionProvider.secretbox('Key_1', EncryptionKeySource.fromEnvironment('K'))] }, "providers[0] name 'Key_1' must be lowercase letters, digits and '-'"],
    [{ providers: [EncryptionProvider.secretbox('k', EncryptionKeySource.fromEnvironment('A')), EncryptionProvider.secretbox('k', EncryptionKeySource.fromEnvironment('B'))] }, "providers name 'secretbox:k' twice"],
    [{ providers: [EncryptionProvider.awsKms({ timeout: Duration.millis(500) })] }, 'providers[0] timeout (500ms) must be whole seconds, at least 1'],
    [{ providers: [EncryptionProvider.awsKms()], resources: [] }, "resources is empty: list at least 'secrets'."],
    [{ providers: [EncryptionProvider.awsKms()], resources: ['Secrets'] }, "resources entry 'Secrets' is not a resource name"],
  ])('throws for bad providers (%#)', (props, message) => {
    expect(() => encryption(props)).toThrow(message);
  });
  test.each([
    [() => EncryptionKeySource.fromEnvironment('1KEY'), "EncryptionKeySource.fromEnvironment: \"1KEY\" is not an environment variable name"],
    [() => EncryptionKeySource.fromFile('keys/k1'), 'EncryptionKeySource.fromFile: "keys/k1" is not an absolute file path'],
  ])('key sources check their reference (%#)', (make, message) => {
    expect(make).toThrow(message);
  });
});

describe('findEncryptionKeyLeaks (for the dist/ leak guard)', () => {
  test('reports a literal key, without showing it', () => {
    const leaked = { apiVersion: 'apiserver.config.k8s.io/v1', kind: 'EncryptionConfiguration', resources: [{ resources: ['secrets'], providers: [{ aescbc: { keys: [{ name: 'key1', secret: KEY }] } }, { identity: {} }] }] };
    const errors = findEncryptionKeyLeaks([{ kind: 'Secret' }, leaked]);
    expect(errors).toEqual([
      'EncryptionConfiguration (manifest #1) resources[0].providers[0].aescbc.keys[0] ("key1") holds a literal key (not shown): reference it with EncryptionKeySource.fromEnvironment/fromFile and fill it in at install time with renderEncryptionConfiguration.',
    ]);
    expect(errors.join()).not.toContain(KEY);
  });
  test('covers aesgcm and secretbox, and a key that merely contains a placeholder', () => {
    const doc = { kind: 'EncryptionConfiguration', resources: [{ providers: [{ aesgcm: { keys: [{ name: 'a', secret: KEY }] } }, { secretbox: { keys: [{ name: 'b', secret: `x{{env:K}}` }] } }] }] };
    expect(findEncryptionKeyLeaks([doc])).toHaveLength(2);
  });
  test('the dist/ leak guard (findSecretLeaks, npm run check:secrets) reports it too', () => {
    const leaked = { apiVersion: 'apiserver.config.k8s.io/v1', kind: 'EncryptionConfiguration', resources: [{ resources: ['secrets'], providers: [{ secretbox: { keys: [{ name: 'key1', secret: KEY }] } }] }] };
    expect(findSecretLeaks([leaked])).toEqual([expect.stringMatching(/^EncryptionConfiguration \(manifest #0\) resources\[0\].providers\[0\].secretbox.keys\[0\] \("key1"\) holds a literal key/)]);
    expect(findSecretLeaks([encryption({ providers: [EncryptionProvider.secretbox('key1', EncryptionKeySource.fromEnvironment('K'))] }).doc])).toEqual([]);
  });

  test('KMS and placeholders are clean', () => {
    const doc = { kind: 'EncryptionConfiguration', resources: [{ providers: [{ kms: { apiVersion: 'v2', name: 'x', endpoint: 'unix:///s' } }, { secretbox: { keys: [{ name: 'b', secret: '{{file:/etc/k}}' }] } }] }] };
    expect(findEncryptionKeyLeaks([doc, { kind: 'ConfigMap', data: { secret: KEY } }])).toEqual([]);
  });
});

describe('renderEncryptionConfiguration (at install time, on the node)', () => {
  const { doc } = encryption({ providers: [EncryptionProvider.secretbox('key1', EncryptionKeySource.fromEnvironment('K8S_SECRETBOX_KEY')), EncryptionProvider.aescbc('key0', EncryptionKeySource.fromFile('/keys/old'))] });
  const text = stringify(doc);
  test('fills each placeholder from the environment or the key file', () => {
    const out = renderEncryptionConfiguration(text, { env: { K8S_SECRETBOX_KEY: KEY }, readFile: (p) => (p === '/keys/old' ? `${Buffer.alloc(32, 1).toString('base64')}\n` : '') });
    const providers = parse(out).resources[0].providers;
    expect(providers[0].secretbox.keys[0].secret).toBe(KEY);
    expect(providers[1].aescbc.keys[0].secret).toBe(Buffer.alloc(32, 1).toString('base64'));
    expect(out).not.toContain('{{');
  });
  test.each([
    [{}, 'renderEncryptionConfiguration: {{env:K8S_SECRETBOX_KEY}} needs environment variable K8S_SECRETBOX_KEY, which is not set'],
    [{ K8S_SECRETBOX_KEY: Buffer.alloc(16).toString('base64') }, 'is not the base64 of 32 bytes (it decodes to 16)'],
    [{ K8S_SECRETBOX_KEY: 'not base64!' }, 'the key for {{env:K8S_SECRETBOX_KEY}} is not the base64 of 32 bytes:'],
  ])('throws for a missing or malformed key (%#)', (env, message) => {
    expect(() => renderEncryptionConfiguration(text, { env, readFile: () => KEY })).toThrow(message);
  });
  test('throws, naming the file, when a key file cannot be read', () => {
    expect(() => renderEncryptionConfiguration(text, { env: { K8S_SECRETBOX_KEY: KEY }, readFile: () => { throw new Error('ENOENT'); } })).toThrow('{{file:/keys/old}} cannot read /keys/old (ENOENT)');
  });
});
