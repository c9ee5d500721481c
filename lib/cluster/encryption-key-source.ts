import { readFileSync } from 'node:fs';
import { GuardrailError } from '../common/errors';

/**
 * Where the installer finds a data encryption key. The emitted EncryptionConfiguration holds only
 * a placeholder (`{{env:NAME}}` or `{{file:/path}}`); {@link renderEncryptionConfiguration} puts
 * the key in at install time, on the control-plane node, so no key is ever committed.
 */
export class EncryptionKeySource {
  /** The key (base64 of 32 random bytes) is in environment variable `name` when the installer runs. */
  public static fromEnvironment(name: string): EncryptionKeySource {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      throw new GuardrailError(`EncryptionKeySource.fromEnvironment: ${JSON.stringify(name)} is not an environment variable name: use letters, digits and '_', e.g. 'K8S_SECRETBOX_KEY'.`);
    }
    return new EncryptionKeySource(`{{env:${name}}}`);
  }

  /** The key (base64 of 32 random bytes) is in file `path` on the node where the installer runs. */
  public static fromFile(path: string): EncryptionKeySource {
    if (!/^\/[^\s{}]*[^/\s{}]$/.test(path)) {
      throw new GuardrailError(`EncryptionKeySource.fromFile: ${JSON.stringify(path)} is not an absolute file path: write e.g. '/etc/kubernetes/keys/secretbox-key1'.`);
    }
    return new EncryptionKeySource(`{{file:${path}}}`);
  }

  private constructor(
    /** What the emitted file holds in place of the key. */
    public readonly placeholder: string,
  ) {}
}

/** A placeholder of {@link EncryptionKeySource}, anchored: the whole `secret` value. */
export const ENCRYPTION_KEY_PLACEHOLDER = /^\{\{(env|file):([^{}\s]+)\}\}$/;

/** How {@link renderEncryptionConfiguration} reads the key sources. */
export interface EncryptionKeyReader {
  /** The environment. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** Reads a key file. @default fs.readFileSync(path, 'utf8') */
  readonly readFile?: (path: string) => string;
}

/**
 * Fills the key placeholders of an emitted EncryptionConfiguration (its YAML text) from the
 * environment or key files, checking that each key is the base64 of exactly 32 bytes. Run it on
 * the control-plane node when installing the file; throws, naming the placeholder, when a key is
 * missing or malformed. The result holds keys: never commit it.
 */
export function renderEncryptionConfiguration(text: string, reader: EncryptionKeyReader = {}): string {
  const env = reader.env ?? process.env;
  const readFile = reader.readFile ?? ((path: string) => readFileSync(path, 'utf8'));
  return text.replace(/\{\{(env|file):([^{}\s]+)\}\}/g, (placeholder, source: string, ref: string) => {
    let key: string | undefined;
    if (source === 'env') {
      key = env[ref];
      if (key === undefined || key.trim() === '') {
        throw new GuardrailError(`renderEncryptionConfiguration: ${placeholder} needs environment variable ${ref}, which is not set: export the key (e.g. from your secret manager; create one with 'head -c 32 /dev/urandom | base64').`);
      }
    } else {
      try {
        key = readFile(ref);
      } catch (err) {
        throw new GuardrailError(`renderEncryptionConfiguration: ${placeholder} cannot read ${ref} (${(err as Error).message}): put the key there (create one with 'head -c 32 /dev/urandom | base64').`);
      }
    }
    key = key.trim();
    const bytes = /^[A-Za-z0-9+/]+={0,2}$/.test(key) ? Buffer.from(key, 'base64') : undefined;
    if (bytes === undefined || bytes.length !== 32 || bytes.toString('base64') !== key) {
      throw new GuardrailError(`renderEncryptionConfiguration: the key for ${placeholder} is not the base64 of 32 bytes${bytes === undefined ? '' : ` (it decodes to ${bytes.length})`}: create one with 'head -c 32 /dev/urandom | base64'.`);
    }
    return key;
  });
}
