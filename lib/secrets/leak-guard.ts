import { GuardrailError } from '../common/errors';
import { MAX_SECRET_BYTES, PLAINTEXT_SECRET_ANNOTATION } from './literal-secret';

/** A manifest as synthesized (`Testing.synth(chart)`, `chart.toJson()`, or parsed YAML). */
export type LeakCheckManifest = Record<string, any>;

function describe(obj: LeakCheckManifest, index: number): string {
  const meta = obj?.metadata ?? {};
  const where = meta.namespace !== undefined ? `${meta.namespace}/${meta.name}` : `${meta.name}`;
  return `${obj?.kind ?? 'object'} '${where}' (manifest #${index})`;
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
    if (fragment.length >= 8) needles.push(fragment);
  }
  return needles;
}

function secretBytes(obj: LeakCheckManifest): number {
  let total = 0;
  for (const v of Object.values(obj.data ?? {})) total += Buffer.from(String(v), 'base64').length;
  for (const v of Object.values(obj.stringData ?? {})) total += Buffer.byteLength(String(v), 'utf8');
  return total;
}

/**
 * Lists every way the manifests leak secrets:
 * - a Secret carries `data`/`stringData` without the `guardrails.cdk8s.io/plaintext-secret-reason`
 *   annotation (the marker of an explicit opt-in);
 * - a Secret holds more than 1 MiB of data;
 * - a known secret value appears anywhere (as text, JSON-escaped, or base64-encoded), except in
 *   the data of a Secret that was opted in.
 * Returns an empty list when nothing leaks.
 */
export function findSecretLeaks(manifests: readonly LeakCheckManifest[], knownSecretValues: readonly string[] = []): string[] {
  const errors: string[] = [];
  for (const value of knownSecretValues) {
    if (value.length === 0) throw new GuardrailError('findSecretLeaks: an empty known secret value matches everything: drop it from knownSecretValues.');
  }
  manifests.forEach((obj, i) => {
    if (obj?.kind !== 'Secret') return;
    const hasData = Object.keys(obj.data ?? {}).length > 0 || Object.keys(obj.stringData ?? {}).length > 0;
    const optedIn = typeof obj.metadata?.annotations?.[PLAINTEXT_SECRET_ANNOTATION] === 'string';
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
      if (obj?.kind === 'Secret' && typeof obj.metadata?.annotations?.[PLAINTEXT_SECRET_ANNOTATION] === 'string') {
        // An opted-in Secret is where its own values are meant to be: search everything else in it.
        const { data: _data, stringData: _stringData, ...rest } = obj;
        searched = rest;
      }
      const text = JSON.stringify(searched);
      knownSecretValues.forEach((value, v) => {
        const escaped = JSON.stringify(value).slice(1, -1);
        const needles = [value, escaped, ...base64Needles(value)];
        if (needles.some((n) => text.includes(n))) {
          errors.push(`${describe(obj, i)} contains known secret value #${v} (${value.length} characters; not shown): move it to a secret manager and reference it through an ExternalSecret.`);
        }
      });
    });
  }
  return errors;
}

/** Throws a {@link GuardrailError} listing every leak {@link findSecretLeaks} finds. */
export function assertNoSecretLeaks(manifests: readonly LeakCheckManifest[], knownSecretValues: readonly string[] = []): void {
  const errors = findSecretLeaks(manifests, knownSecretValues);
  if (errors.length > 0) {
    throw new GuardrailError(`Secret leak check failed:\n- ${errors.join('\n- ')}`);
  }
}
