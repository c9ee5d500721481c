import { IConstruct } from 'constructs';
import { fail, show } from '../common/errors';

/**
 * The TLS 1.2 cipher suites with forward secrecy (ECDHE) and AEAD, by their Go names. The
 * `TLS_RSA_*` suites document 004 lists have no forward secrecy: a stolen server key decrypts
 * every recorded session. TLS 1.3 suites are not configurable in Go and are always forward-secret.
 * (CIS Kubernetes Benchmark v1.8.0, 1.2.30 and 4.2.12: strong cryptographic ciphers only.)
 */
export const FORWARD_SECRET_CIPHER_SUITES: readonly string[] = [
  'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
];

/** Go's older spellings of two of them (without `_SHA256`), which the components also accept. */
const ALIASES: Record<string, string> = {
  TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305: 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
  TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305: 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
};

/**
 * Checks a cipher suite list for `scope`: not empty, no duplicates, and only forward-secret AEAD
 * suites (the legacy CHACHA20 spellings are normalized to the `_SHA256` names). Returns the list.
 */
export function requireForwardSecretCipherSuites(scope: IConstruct, what: string, suites: readonly string[]): string[] {
  if (suites.length === 0) {
    fail(scope, `${what} is empty, which lets Go pick its defaults (including non-forward-secret suites): leave it unset for the forward-secret list or name suites from it.`);
  }
  const out: string[] = [];
  for (const suite of suites) {
    const name = ALIASES[suite] ?? suite;
    if (!FORWARD_SECRET_CIPHER_SUITES.includes(name)) {
      const why = name.startsWith('TLS_RSA_')
        ? 'uses RSA key exchange, which has no forward secrecy'
        : 'is not a forward-secret AEAD suite';
      fail(scope, `${what} entry ${show(suite)} ${why}: use only ${FORWARD_SECRET_CIPHER_SUITES.join(', ')}.`);
    }
    if (out.includes(name)) fail(scope, `${what} lists ${show(suite)} twice: list each suite once.`);
    out.push(name);
  }
  return out;
}
