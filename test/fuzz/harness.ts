import { isDeepStrictEqual } from 'node:util';
import { Chart } from 'cdk8s';
import * as fc from 'fast-check';
import * as YAML from 'yaml';
import { checkPodSecurityOfManifests, findPodTemplates } from '../../lib/policy';
import { appIntegrityHook, GuardrailsApp, resolveApp } from '../../lib/synth';
import { renderYamlDocument } from '../../lib/synth/yaml-strings';
import { UNSAFE_REASON_ANNOTATION } from '../../lib/workload/secure-deployment';
import { crdSchemaProblems, hasCrdSchema } from '../support/crd-schema';
import { kubeCheck } from '../support/kube-check';
import { kubernetesModelProblems } from '../support/validate-kubernetes';

/** Runs per construct: FUZZ_RUNS (the nightly bench script raises it), at least 200 in CI. */
export const FUZZ_RUNS = Math.max(200, Number(process.env.FUZZ_RUNS ?? 200));
/** Seed per run: FUZZ_SEED to replay a nightly failure; fixed in CI so failures reproduce. */
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 17);

/** What one fuzz case did. */
export type FuzzOutcome = { kind: 'error'; message: string } | { kind: 'output'; manifests: any[] };

/** Values a harsh user passes: empty, blank, numeric-looking, too long, non-ASCII, NaN... */
export const HARSH_STRINGS = ['', ' ', '  ', 'x', 'valid-name', '1svc', '0o17', '0B101', 'a/b', 'A_B', 'y', '*', '..', '/tmp/', '-x',
  'p'.repeat(64), 'q'.repeat(53), 'r'.repeat(60), 'héllo', 'a\u2028b', 'a\x7fb', 'x'.repeat(300)];
export const HARSH_NUMBERS = [0, 1, 2, 3, -1, 1.5, 100, 65535, 65536, NaN, Infinity, -Infinity, 2 ** 53];
export const HARSH_QUANTITIES = ['0', '1', '250m', '512Mi', '1Gi', '1Ei', '1E', '8Ei', '-1', '1e3', '1.5', 'lots', '', '1 Gi', '100%'];

/**
 * `base` with up to `maxFields` randomly chosen fields (dotted paths) replaced by a value from each
 * field's pool (harsh or valid): few at a time, so both clear errors and valid output occur.
 */
export function mutated<T extends object>(base: T, fields: Record<string, fc.Arbitrary<unknown>>, maxFields = 3): fc.Arbitrary<T> {
  const paths = Object.keys(fields);
  return fc.shuffledSubarray(paths, { maxLength: Math.min(maxFields, paths.length) })
    .chain(chosen => fc.tuple(...chosen.map(p => fields[p])).map(values => {
      // Copy along each path only: leaves may be class instances (WorkloadEnv, Size) to keep as they are.
      const props: any = { ...base };
      chosen.forEach((path, i) => {
        const keys = path.split('.');
        let at = props;
        for (const k of keys.slice(0, -1)) at = at[k] = { ...(at[k] ?? {}) };
        at[keys[keys.length - 1]] = values[i];
      });
      return props as T;
    }));
}

const PATH_PREFIX = /^[A-Z][A-Za-z0-9]* 'fuzz(\/[^']*)?': \S/;

/**
 * For `runs` random props, builds the construct in a fresh GuardrailsApp chart `fuzz` and asserts:
 * either a clear error (a GuardrailError-style message that starts with the construct's kind and
 * path, or a cdk8s validation naming the path), or output that passes the app-wide checks, is
 * PSS restricted (unless the pod carries the unsafe-reason opt-out), reads back unchanged from
 * YAML (the `yaml` package here, kubectl's reader in one batch), and is schema-valid
 * (kubernetes-models, for built-in kinds, in one batch). Returns the outcomes for extra checks.
 */
export function fuzzConstruct<P>(
  props: fc.Arbitrary<P>, build: (chart: Chart, props: P) => void, runs = FUZZ_RUNS, options: FuzzOptions = {},
): FuzzOutcome[] {
  const outcomes: FuzzOutcome[] = [];
  const docs: string[] = [];
  const manifestsForSchema: any[] = [];
  const samples = fc.sample(props, { numRuns: runs, seed: FUZZ_SEED });
  const scalars = new Map<string, unknown>();
  let wholeDocuments = 0;
  for (const sample of samples) {
    const app = new GuardrailsApp();
    const chart = new Chart(app, 'fuzz');
    let manifests: any[];
    try {
      build(chart, sample);
      const { charts } = resolveApp(app);
      appIntegrityHook(charts);
      // Only the fuzzed chart's objects: fixtures (a workload to watch) live in other charts.
      manifests = charts.filter(c => c.chart.node.id === 'fuzz').flatMap(c => c.objects.map(o => o.manifest));
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      const clear = PATH_PREFIX.test(message) || /\[fuzz(\/[^\]]*)?\] \S/.test(message) || /is defined twice, by 'fuzz/.test(message);
      if (!clear) throw new Error(`unclear error for props ${show(sample)}:\n${e instanceof Error ? e.stack : message}`);
      outcomes.push({ kind: 'error', message });
      continue;
    }
    for (const m of manifests) {
      // Rendering YAML is the slow part: whole documents for the first objects only, and
      // every scalar (keys, strings, numbers) of every object in one document per construct;
      // the first objects whole.
      collectScalars(m, scalars);
      if (wholeDocuments < WHOLE_DOCUMENTS) {
        wholeDocuments++;
        roundTrip(m, `${m.kind} for props ${show(sample)}`, docs);
      }
      if (options.nodeFiles) continue;
      if (NO_KUBERNETES_MODEL.has(`${m.apiVersion} ${m.kind}`)) continue;
      if (!m.apiVersion.includes('.') || /\.k8s\.io\//.test(m.apiVersion)) manifestsForSchema.push(m);
      else if (hasCrdSchema(m)) manifestsForSchema.push(m);
    }
    if (options.nodeFiles) {
      outcomes.push({ kind: 'output', manifests });
      continue;
    }
    const unsafe = new Set(manifests.filter(m => findPodTemplates(m).some(t => t.podMetadata?.annotations?.[UNSAFE_REASON_ANNOTATION])).map(m => m));
    const violations = checkPodSecurityOfManifests(manifests.filter(m => !unsafe.has(m)));
    if (violations.length > 0) throw new Error(`PSS restricted violations for props ${show(sample)}: ${JSON.stringify(violations, null, 1)}`);
    outcomes.push({ kind: 'output', manifests });
  }
  // Every distinct scalar, as a map key and as a value (numbers as values), in one document.
  const scalarDoc = { keys: Object.fromEntries([...scalars.values()].filter(v => typeof v === 'string').map(v => [v as string, 0])), values: [...scalars.values()] };
  roundTrip(scalarDoc, 'the scalars of every output', docs);
  const kubectl = kubeCheck<{ json?: unknown; error?: string }>('yaml', docs);
  kubectl.forEach((answer, i) => {
    const original = YAML.parse(docs[i], { version: '1.1' });
    if (answer.error !== undefined || !isDeepStrictEqual(normalizeNumbers(answer.json), normalizeNumbers(original))) {
      throw new Error(`kubectl reads a different object (${answer.error ?? JSON.stringify(answer.json)}) from:\n${docs[i]}`);
    }
  });
  const problems = validateSchemas(manifestsForSchema.filter(m => !hasCrdSchema(m)))
    .concat(manifestsForSchema.filter(hasCrdSchema).flatMap(m => crdSchemaProblems(m)));
  if (problems.length > 0) throw new Error(`schema-invalid output: ${JSON.stringify(problems.slice(0, 5), null, 1)}`);
  return outcomes;
}

/** Options of {@link fuzzConstruct}. */
export interface FuzzOptions {
  /**
   * The construct writes node configuration files (kubeadm, kubelet, kube-proxy, API server
   * files), not API objects: no pod to check against PSS and no API schema (kubernetes-models
   * has none for these component configs), so only the clear-error and YAML round-trip parts apply.
   * @default false
   */
  readonly nodeFiles?: boolean;
}

/**
 * Built-in kinds kubernetes-models (4.5.1) ships no model for: not schema-checked here
 * (docs/hardening.md). The v1 ValidatingAdmissionPolicy, emitted from Kubernetes 1.30, is checked.
 */
const NO_KUBERNETES_MODEL = new Set([
  'admissionregistration.k8s.io/v1beta1 ValidatingAdmissionPolicy', 'admissionregistration.k8s.io/v1beta1 ValidatingAdmissionPolicyBinding',
]);

/** Objects rendered as whole YAML documents per construct (the rest: their scalars only). */
const WHOLE_DOCUMENTS = 40;

function collectScalars(value: unknown, into: Map<string, unknown>): void {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    into.set(`${typeof value}:${String(value)}`, value);
  } else if (Array.isArray(value)) {
    value.forEach(v => collectScalars(v, into));
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      into.set(`string:${k}`, k);
      collectScalars(v, into);
    }
  }
}

/** Renders `value` as we write it, reads it back with the `yaml` package (YAML 1.1), and queues the text for kubectl's reader. */
function roundTrip(value: unknown, what: string, docs: string[]): void {
  const text = renderYamlDocument(value);
  const back = YAML.parse(text, { version: '1.1' });
  if (!isDeepStrictEqual(back, value)) throw new Error(`YAML round trip changed ${what}:\n${text}`);
  docs.push(text);
}

/** kubernetes-models over one of each distinct object. */
function validateSchemas(objects: any[]): unknown[] {
  return kubernetesModelProblems([...new Map(objects.map(o => [JSON.stringify(o), o])).values()]);
}

function normalizeNumbers(v: unknown): unknown {
  return JSON.parse(JSON.stringify(v));
}

function show(v: unknown): string {
  return JSON.stringify(v, (_k, x) => (typeof x === 'number' && !Number.isFinite(x) ? String(x) : typeof x === 'object' && x?.constructor && !['Object', 'Array'].includes(x.constructor.name) ? `<${x.constructor.name}>` : x)).slice(0, 2000);
}

/** Asserts both outcomes occur, so a generator that always fails (or never does) is noticed. */
export function expectBothOutcomes(outcomes: FuzzOutcome[]): void {
  const errors = outcomes.filter(o => o.kind === 'error').length;
  if (errors === 0 || errors === outcomes.length) {
    throw new Error(`the generator is lopsided: ${errors} errors out of ${outcomes.length} runs`);
  }
}
