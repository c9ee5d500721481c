import type * as CelApi from '@bufbuild/cel';
import type * as CelExt from '@bufbuild/cel/ext';

/**
 * The CEL environment of a Kubernetes ValidatingAdmissionPolicy, as far as our rules use it: the
 * standard library (`has`, `all`, `exists`, `map`, `filter`, `size`, `startsWith`, `endsWith`,
 * `matches`, `contains`, `in`) plus the Kubernetes string extensions (`split`, `lastIndexOf`,
 * `substring`, `lowerAscii`, ...). Evaluated by `@bufbuild/cel`, a conformant CEL implementation.
 */
function cel(): { readonly api: typeof CelApi; readonly env: ReturnType<typeof CelApi.celEnv> } {
  if (loaded === undefined) {
    // Loaded on first use: @bufbuild/cel and its protobuf runtime are a quarter of the modules the
    // library would otherwise load on import, and only policy packs evaluate CEL.
    /* eslint-disable @typescript-eslint/no-require-imports */
    const api = require('@bufbuild/cel') as typeof CelApi;
    const { strings } = require('@bufbuild/cel/ext') as typeof CelExt;
    /* eslint-enable @typescript-eslint/no-require-imports */
    loaded = { api, env: api.celEnv({ funcs: strings }) };
  }
  return loaded;
}
let loaded: ReturnType<typeof cel> | undefined;

/** The outcome of one CEL expression: its value, or the evaluation error CEL reported. */
export type CelOutcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: string };

type CelProgram = (bindings: Record<string, CelApi.CelInput>) => unknown;

/**
 * Planned programs by source. A planned program holds no state between evaluations, and every
 * `PolicyPack` (one per cluster) parses the same rules: parsing was a fifth of `npm run synth`.
 */
const PROGRAMS = new Map<string, CelProgram>();

/** A parsed and planned CEL expression, evaluated many times with different bindings. */
export class CelExpression {
  private readonly program: CelProgram;

  /** Parses `source`; throws with the parser's message when it is not valid CEL. */
  constructor(public readonly source: string) {
    const known = PROGRAMS.get(source);
    if (known !== undefined) {
      this.program = known;
      return;
    }
    try {
      const { api, env } = cel();
      this.program = api.plan(env, api.parse(source)) as CelProgram;
    } catch (e) {
      throw new Error(`invalid CEL expression ${JSON.stringify(source)}: ${(e as Error).message}`);
    }
    PROGRAMS.set(source, this.program);
  }

  /** Evaluates with JSON values bound to names (`object`, `params`), converted to CEL values. */
  evaluate(bindings: Record<string, unknown>): CelOutcome {
    const input: Record<string, CelApi.CelInput> = {};
    for (const [name, value] of Object.entries(bindings)) input[name] = toCel(value);
    const result = this.program(input);
    if (cel().api.isCelError(result)) return { ok: false, error: result.message };
    return { ok: true, value: fromCel(result as CelApi.CelValue) };
  }
}

/**
 * JSON to CEL the way the Kubernetes API server does it for unstructured objects: objects become
 * maps, whole numbers become `int` (bigint), other numbers `double`.
 */
export function toCel(value: unknown): CelApi.CelInput {
  if (Array.isArray(value)) return value.map(toCel);
  if (value !== null && typeof value === 'object') {
    return new Map(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, toCel(v)]));
  }
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  return value as CelApi.CelInput;
}

/** CEL back to plain JSON-like values (for results and message expressions). */
export function fromCel(value: CelApi.CelValue): unknown {
  if (typeof value === 'bigint') return Number(value);
  const { isCelList, isCelMap } = cel().api;
  if (isCelList(value)) {
    const out: unknown[] = [];
    for (const item of value) out.push(fromCel(item as CelApi.CelValue));
    return out;
  }
  if (isCelMap(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of value) out[String(k)] = fromCel(v as CelApi.CelValue);
    return out;
  }
  return value;
}
