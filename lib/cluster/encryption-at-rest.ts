import { Construct } from 'constructs';
import { Duration } from 'cdk8s';
import { fail, show } from '../common/errors';
import { addConfigDocument } from './config-document';
import { EncryptionKeySource } from './encryption-key-source';
import { requireNodePath } from './node-path';

/** A KMS v2 plugin: the API server asks it, over a Unix socket, to wrap each data key. */
export interface KmsPluginOptions {
  /** The plugin's Unix socket on the control-plane node. */
  readonly socketPath?: string;
  /** How long the API server waits for the plugin. @default Duration.seconds(3) */
  readonly timeout?: Duration;
}

/** How one provider of an EncryptionConfiguration is written. */
interface ProviderSpec {
  readonly type: 'kms' | 'aescbc' | 'secretbox' | 'identity';
  readonly name?: string;
  readonly socketPath?: string;
  readonly timeout?: Duration;
  readonly key?: EncryptionKeySource;
}

/** One way of storing resources in etcd, for {@link EncryptionAtRest}. */
export class EncryptionProvider {
  /** KMS v2 with the AWS KMS plugin (`aws-encryption-provider`): keys never leave AWS KMS. */
  public static awsKms(options: KmsPluginOptions = {}): EncryptionProvider {
    return EncryptionProvider.kmsV2('aws-encryption-provider', { socketPath: options.socketPath ?? '/var/run/kmsplugin/socket.sock', timeout: options.timeout });
  }

  /** KMS v2 with the Alibaba Cloud KMS plugin (`ack-kms-plugin`): keys never leave Alibaba Cloud KMS. */
  public static alibabaKms(options: KmsPluginOptions = {}): EncryptionProvider {
    return EncryptionProvider.kmsV2('alibaba-kms-plugin', { socketPath: options.socketPath ?? '/var/run/kmsplugin/socket.sock', timeout: options.timeout });
  }

  /** KMS v2 with any plugin listening on `socketPath`; `name` identifies it in stored data (keep it stable). */
  public static kmsV2(name: string, options: KmsPluginOptions & { readonly socketPath: string }): EncryptionProvider {
    return new EncryptionProvider({ type: 'kms', name, socketPath: options.socketPath, timeout: options.timeout });
  }

  /** XSalsa20-Poly1305 with a local key (`keyName` is stored with the data; `key` is filled in at install time). */
  public static secretbox(keyName: string, key: EncryptionKeySource): EncryptionProvider {
    return new EncryptionProvider({ type: 'secretbox', name: keyName, key });
  }

  /** AES-CBC with PKCS#7 padding and a local key; prefer `secretbox` or KMS (CBC is open to padding-oracle attacks). */
  public static aescbc(keyName: string, key: EncryptionKeySource): EncryptionProvider {
    return new EncryptionProvider({ type: 'aescbc', name: keyName, key });
  }

  /** No encryption: only as the last provider, to read data written before encryption was turned on. */
  public static identity(): EncryptionProvider {
    return new EncryptionProvider({ type: 'identity' });
  }

  private constructor(/** @internal */ public readonly _spec: ProviderSpec) {}
}

/** Props of {@link EncryptionAtRest}. */
export interface EncryptionAtRestProps {
  /** The providers, in order: the first encrypts every write, the others can still decrypt. */
  readonly providers: readonly EncryptionProvider[];
  /** Resources to encrypt. @default ['secrets'] */
  readonly resources?: readonly string[];
  /** Where the installer puts the file on each control-plane node (`--encryption-provider-config`). @default '/etc/kubernetes/encryption-configuration.yaml' */
  readonly nodePath?: string;
}

/**
 * Encryption of Secrets in etcd (`apiserver.config.k8s.io/v1` EncryptionConfiguration,
 * `--encryption-provider-config`; CIS Kubernetes Benchmark v1.8.0, 1.2.28 and 1.2.29). KMS v2
 * (AWS KMS or Alibaba Cloud KMS plugin socket) or `secretbox`/`aescbc` with a key the installer
 * takes from an environment variable or a file ({@link EncryptionKeySource}): the emitted file holds
 * a placeholder, never a key. `identity` (no encryption) may only come last.
 */
export class EncryptionAtRest extends Construct {
  /** Where the file goes on each control-plane node. */
  public readonly nodePath: string;
  /** The KMS plugin sockets the API server must reach (mounted into its pod). */
  public readonly kmsSocketPaths: readonly string[];

  constructor(scope: Construct, id: string, props: EncryptionAtRestProps) {
    super(scope, id);
    this.nodePath = requireNodePath(this, 'nodePath', props.nodePath ?? '/etc/kubernetes/encryption-configuration.yaml');
    const providers = props.providers.map((p) => p._spec);
    if (providers.length === 0) fail(this, `providers is empty: name at least one, e.g. [EncryptionProvider.awsKms()].`);
    providers.forEach((p, i) => {
      if (p.type === 'identity' && i !== providers.length - 1) {
        fail(this, `providers[${i}] is identity (no encryption) but is not last${i === 0 ? ', so every write is stored in plaintext' : ''}: put an encrypting provider first and identity last, only to read data written before encryption was on.`);
      }
      if (p.name !== undefined && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(p.name)) {
        fail(this, `providers[${i}] name ${show(p.name)} must be lowercase letters, digits and '-': it is stored with every encrypted value, e.g. 'key1'.`);
      }
      if (p.socketPath !== undefined) requireNodePath(this, `providers[${i}] socketPath`, p.socketPath);
      if (p.timeout !== undefined && (p.timeout.toMilliseconds() < 1000 || p.timeout.toMilliseconds() % 1000 !== 0)) {
        fail(this, `providers[${i}] timeout (${p.timeout.toMilliseconds()}ms) must be whole seconds, at least 1: e.g. Duration.seconds(3).`);
      }
    });
    const names = providers.filter((p) => p.name !== undefined).map((p) => `${p.type}:${p.name}`);
    const duplicate = names.find((n, i) => names.indexOf(n) !== i);
    if (duplicate !== undefined) fail(this, `providers name ${show(duplicate)} twice: give each provider its own name.`);
    if (providers[0].type === 'identity') fail(this, `the only provider is identity, so nothing is encrypted: put EncryptionProvider.awsKms(), alibabaKms() or secretbox(...) first.`);

    const resources = [...(props.resources ?? ['secrets'])];
    if (resources.length === 0) fail(this, `resources is empty: list at least 'secrets'.`);
    for (const r of resources) {
      if (!/^(\*\.)?[a-z0-9]([-a-z0-9.]*[a-z0-9])?$|^\*\.\*$/.test(r)) fail(this, `resources entry ${show(r)} is not a resource name: write e.g. 'secrets', 'configmaps' or 'widgets.example.com'.`);
    }
    if (new Set(resources).size !== resources.length) fail(this, `resources lists an entry twice: list each resource once.`);

    this.kmsSocketPaths = [...new Set(providers.filter((p) => p.socketPath !== undefined).map((p) => p.socketPath!))].sort();
    addConfigDocument(this, 'Resource', 'apiserver.config.k8s.io/v1', 'EncryptionConfiguration', {
      resources: [{ resources, providers: providers.map(renderProvider) }],
    });
  }
}

function renderProvider(p: ProviderSpec): Record<string, unknown> {
  switch (p.type) {
    case 'kms':
      return { kms: { apiVersion: 'v2', name: p.name, endpoint: `unix://${p.socketPath}`, timeout: `${(p.timeout ?? Duration.seconds(3)).toSeconds()}s` } };
    case 'identity':
      return { identity: {} };
    default:
      return { [p.type]: { keys: [{ name: p.name, secret: p.key!.placeholder }] } };
  }
}
