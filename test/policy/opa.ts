import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The OPA binary installed by `npm run install:opa` (override with OPA_BIN). */
export const OPA_BIN = process.env.OPA_BIN ?? join(__dirname, '..', '..', '.tools', 'bin', 'opa');

/** Fails (never skips) when OPA is missing: CI must install it. */
export function requireOpa(): string {
  if (!existsSync(OPA_BIN)) {
    throw new Error(`OPA binary not found at ${OPA_BIN}: run \`npm run install:opa\` (scripts/install-opa.sh) to install the pinned version, then rerun the tests.`);
  }
  return OPA_BIN;
}

/** One Gatekeeper admission review: `input.review.object` and `input.parameters`. */
export interface GatekeeperInput {
  readonly review: { readonly object: unknown };
  readonly parameters: unknown;
}

/**
 * Runs a ConstraintTemplate's Rego with a real `opa eval` on many Gatekeeper-shaped inputs in one
 * process and returns, per input, the messages of `violation[{"msg": msg}]`.
 */
export function evalGatekeeperRego(rego: string, inputs: readonly GatekeeperInput[]): string[][] {
  const opa = requireOpa();
  const pkg = /^package\s+([\w.]+)/m.exec(rego)?.[1];
  if (!pkg) throw new Error('the Rego has no package line');
  const dir = mkdtempSync(join(tmpdir(), 'guardrails-opa-'));
  try {
    writeFileSync(join(dir, 'template.rego'), rego);
    writeFileSync(join(dir, 'batch.rego'), [
      'package guardrails_batch',
      '',
      'results[i] = msgs {',
      '  c := input.cases[i]',
      `  msgs := [v.msg | v := data.${pkg}.violation[_]] with input as c`,
      '}',
      '',
    ].join('\n'));
    writeFileSync(join(dir, 'input.json'), JSON.stringify({ cases: inputs }));
    const out = execFileSync(opa, [
      'eval', '--format', 'json', '--fail',
      '--data', join(dir, 'template.rego'), '--data', join(dir, 'batch.rego'),
      '--input', join(dir, 'input.json'), 'data.guardrails_batch.results',
    ], { encoding: 'utf8' });
    const value = JSON.parse(out).result[0].expressions[0].value as Record<string, string[]>;
    return inputs.map((_, i) => [...(value[String(i)] ?? [])].sort());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
