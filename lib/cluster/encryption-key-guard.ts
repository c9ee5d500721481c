import { ENCRYPTION_KEY_PLACEHOLDER } from './encryption-key-source';

/** Providers of an EncryptionConfiguration whose keys are written into the file. */
const KEYED_PROVIDERS = ['aescbc', 'aesgcm', 'secretbox'] as const;

/**
 * Lists every literal data encryption key in `manifests` (parsed YAML documents): an
 * `EncryptionConfiguration` whose `aescbc`, `aesgcm` or `secretbox` key `secret` is anything but an
 * install-time placeholder (`{{env:NAME}}`, `{{file:/path}}`, see `EncryptionKeySource`). A key in
 * a committed file decrypts every Secret in etcd, and backups of it, for as long as it is in use.
 * Returns an empty list when no key is written out. Meant for the `dist/` leak guard.
 */
export function findEncryptionKeyLeaks(manifests: readonly Record<string, any>[]): string[] {
  const errors: string[] = [];
  manifests.forEach((doc, i) => {
    if (doc?.kind !== 'EncryptionConfiguration' || !Array.isArray(doc.resources)) return;
    doc.resources.forEach((entry: any, r: number) => {
      (Array.isArray(entry?.providers) ? entry.providers : []).forEach((provider: any, p: number) => {
        for (const type of KEYED_PROVIDERS) {
          const keys = provider?.[type]?.keys;
          (Array.isArray(keys) ? keys : []).forEach((key: any, k: number) => {
            const secret = key?.secret;
            if (typeof secret === 'string' && ENCRYPTION_KEY_PLACEHOLDER.test(secret)) return;
            errors.push(`EncryptionConfiguration (manifest #${i}) resources[${r}].providers[${p}].${type}.keys[${k}] (${JSON.stringify(key?.name ?? '')}) holds a literal key (not shown): reference it with EncryptionKeySource.fromEnvironment/fromFile and fill it in at install time with renderEncryptionConfiguration.`);
          });
        }
      });
    });
  });
  return errors;
}
