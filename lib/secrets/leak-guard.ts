import { findEncryptionKeyLeaks } from '../cluster/encryption-key-guard';
import { GuardrailError } from '../common/errors';
import { MAX_SECRET_BYTES, PLAINTEXT_SECRET_ANNOTATION } from './literal-secret';

// The leak-guard script reads files with it (one bundle for both).
export { readManifests } from './manifest-reader';

/** A manifest as synthesized (`Testing.synth(chart)`, `chart.toJson()`, or parsed YAML). */
export type LeakCheckManifest = Record<string, any>;

function describe(obj: LeakCheckManifest, index: number): string {
  const meta = obj?.metadata ?? {};
  const where = meta.namespace !== undefined ? `${meta.namespace}/${meta.name}` : `${meta.name}`;
  return `${obj?.kind ?? 'object'} '${where}' (manifest #${index})`;
}

/** True when the Secret carries the opt-in marker with an actual reason (not empty or blank). */
function isOptedIn(obj: LeakCheckManifest): boolean {
  const reason = obj?.metadata?.annotations?.[PLAINTEXT_SECRET_ANNOTATION];
  return typeof reason === 'string' && reason.trim().length > 0;
}

/** The base64 fragments that appear in any base64 text containing `value`, at each byte alignment. */
function base64Needles(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  const needles: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const padded = Buffer.concat([Buffer.alloc(offset), bytes]);
    const encoded = padded.toString('base64');
    const start = offset === 0 ? 0 : offset === 1 ? 2 : 3; // chars that mix in unknown preceding bytes
    const end = Math.floor(padded.length / 3) * 4;          // chars that mix in unknown following bytes
    const fragment = encoded.slice(start, end);
    if (fragment.length >= 8) needles.push(fragment, fragment.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return needles;
}

/**
 * Every spelling of `value` we search for: as is, base64 (standard and URL-safe, any alignment),
 * hex (either case) and URL-encoded (percent escapes in either case, space as `%20` or `+`).
 */
function needlesOf(value: string): string[] {
  const hex = Buffer.from(value, 'utf8').toString('hex');
  const url = encodeURIComponent(value);
  const spellings = [value, hex, hex.toUpperCase(), url, url.replace(/%[0-9A-F]{2}/g, m => m.toLowerCase()), url.replace(/%20/g, '+'), ...base64Needles(value)];
  return [...new Set(spellings)];
}

/** Every string in `value` (keys too, numbers as text), as is and with all whitespace removed (line-wrapped base64/hex). */
function haystackOf(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint') {
    const text = String(value);
    out.push(text);
    const joined = text.replace(/\s+/g, '');
    if (joined !== text) out.push(joined);
  } else if (Array.isArray(value)) {
    for (const v of value) haystackOf(v, out);
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      haystackOf(v, out);
    }
  }
  return out;
}

/**
 * The values of an external-secrets.io ExternalSecret (or ClusterExternalSecret) template that
 * hold no template action: literals the operator would write into the Secret as they are, so
 * they sit in plaintext in the manifests.
 */
function literalTemplateValues(obj: LeakCheckManifest): string[] {
  if (typeof obj?.apiVersion !== 'string' || !obj.apiVersion.startsWith('external-secrets.io/')) return [];
  const spec = obj.kind === 'ClusterExternalSecret' ? obj.spec?.externalSecretSpec : obj.kind === 'ExternalSecret' ? obj.spec : undefined;
  const data = spec?.target?.template?.data;
  if (data === null || typeof data !== 'object') return [];
  return Object.entries(data).filter(([, v]) => typeof v !== 'string' || !v.includes('{{')).map(([k]) => k);
}

function secretBytes(obj: LeakCheckManifest): number {
  let total = 0;
  for (const v of Object.values(obj.data ?? {})) total += Buffer.from(String(v), 'base64').length;
  for (const v of Object.values(obj.stringData ?? {})) total += Buffer.byteLength(String(v), 'utf8');
  return total;
}

/**
 * Lists every way the manifests leak secrets (read files with `readManifests`, as kubectl does):
 * - a Secret carries `data`/`stringData` without the `guardrails.cdk8s.io/plaintext-secret-reason`
 *   annotation (the marker of an explicit opt-in), or with it empty or blank;
 * - an ExternalSecret template has a value with no template action (a literal, needing no opt-in);
 * - a Secret holds more than 1 MiB of data;
 * - a known secret value appears anywhere (as text, base64 (also line-wrapped), hex or
 *   URL-encoded), except in the data of a Secret that was opted in;
 * - an API server EncryptionConfiguration holds a literal key (`findEncryptionKeyLeaks`).
 * Returns an empty list when nothing leaks.
 */
export function findSecretLeaks(manifests: readonly LeakCheckManifest[], knownSecretValues: readonly string[] = []): string[] {
  const errors: string[] = [];
  for (const value of knownSecretValues) {
    if (value.length === 0) throw new GuardrailError('findSecretLeaks: an empty known secret value matches everything: drop it from knownSecretValues.');
  }
  manifests.forEach((obj, i) => {
    for (const key of literalTemplateValues(obj)) {
      errors.push(`${describe(obj, i)} has the literal template value ${JSON.stringify(key)} (no '{{ }}' action), which the operator writes into the Secret as is: reference a fetched value, e.g. '{{ .password }}', or use a LiteralSecret with allowPlaintextInManifests: { reason }.`);
    }
    if (obj?.kind !== 'Secret') return;
    const present = (field: unknown) => field !== undefined && field !== null && (typeof field !== 'object' || Object.keys(field).length > 0);
    const hasData = present(obj.data) || present(obj.stringData);
    const optedIn = isOptedIn(obj);
    if (hasData && !optedIn) {
      errors.push(`${describe(obj, i)} carries literal data without the '${PLAINTEXT_SECRET_ANNOTATION}' opt-in: create it with an ExternalSecret, or with LiteralSecret and allowPlaintextInManifests: { reason }.`);
    }
    const bytes = secretBytes(obj);
    if (bytes > MAX_SECRET_BYTES) {
      errors.push(`${describe(obj, i)} holds ${bytes} bytes of data, over the ${MAX_SECRET_BYTES}-byte (1 MiB) Secret limit: split it.`);
    }
  });
  if (knownSecretValues.length > 0) {
    manifests.forEach((obj, i) => {
      let searched: LeakCheckManifest = obj;
      if (obj?.kind === 'Secret' && isOptedIn(obj)) {
        // An opted-in Secret is where its own values are meant to be: search everything else in it.
        const { data: _data, stringData: _stringData, ...rest } = obj;
        searched = rest;
      }
      const haystack = haystackOf(searched);
      knownSecretValues.forEach((value, v) => {
        const needles = needlesOf(value);
        if (needles.some((n) => haystack.some((h) => h.includes(n)))) {
          errors.push(`${describe(obj, i)} contains known secret value #${v} (${value.length} characters; not shown): move it to a secret manager and reference it through an ExternalSecret.`);
        }
      });
    });
  }
  errors.push(...findEncryptionKeyLeaks(manifests));
  return errors;
}

/** Throws a {@link GuardrailError} listing every leak {@link findSecretLeaks} finds. */
export function assertNoSecretLeaks(manifests: readonly LeakCheckManifest[], knownSecretValues: readonly string[] = []): void {
  const errors = findSecretLeaks(manifests, knownSecretValues);
  if (errors.length > 0) {
    throw new GuardrailError(`Secret leak check failed:\n- ${errors.join('\n- ')}`);
  }
}
