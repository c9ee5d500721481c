/**
 * Snapshot testing for app repositories: a chart's or an app's objects as one YAML text, in a
 * stable order, with Secret values masked, for `expect(...).toMatchSnapshot()`. A pull request
 * then shows the YAML change in the snapshot file, and the review report explains it.
 */
import { App, Chart } from 'cdk8s';
import * as YAML from 'yaml';
import { compareStrings } from '../manifest-files';
import { objectId } from './object-diff';

/** What {@link manifestSnapshot} masks: the values (not the keys) of a Secret's `data` and `stringData`. */
export const SNAPSHOT_SECRET_MASK = '***';

/** The objects of a Secret (or of a `*List`'s Secret items) with every data value masked. */
function masked(object: any): any {
  if (object === null || typeof object !== 'object') return object;
  if (typeof object.kind === 'string' && /List$/.test(object.kind) && Array.isArray(object.items)) {
    return { ...object, items: object.items.map(masked) };
  }
  if (object.kind !== 'Secret') return object;
  const mask = (values: unknown): unknown => (values !== null && typeof values === 'object'
    ? Object.fromEntries(Object.keys(values).map((k) => [k, SNAPSHOT_SECRET_MASK]))
    : values);
  const out = { ...object };
  if ('data' in out) out.data = mask(out.data);
  if ('stringData' in out) out.stringData = mask(out.stringData);
  const annotations = out.metadata?.annotations;
  if (annotations?.['kubectl.kubernetes.io/last-applied-configuration'] !== undefined) {
    out.metadata = { ...out.metadata, annotations: { ...annotations, 'kubectl.kubernetes.io/last-applied-configuration': SNAPSHOT_SECRET_MASK } };
  }
  return out;
}

/** kind, namespace, name, apiVersion: the order a reviewer reads objects in. */
function compareObjects(a: any, b: any): number {
  const x = objectId(a);
  const y = objectId(b);
  return compareStrings(x.kind, y.kind) || compareStrings(x.namespace, y.namespace)
    || compareStrings(x.name, y.name) || compareStrings(x.apiVersion, y.apiVersion);
}

/**
 * The objects of `scope` as YAML for a jest snapshot: each chart (for an app, every chart, by
 * construct path) under a `# chart: <path>` comment, its objects sorted by kind, namespace and
 * name, keys in the order cdk8s writes them, and every value of a Secret's `data`/`stringData`
 * replaced by {@link SNAPSHOT_SECRET_MASK}, so a snapshot never holds secret material. The same
 * construct tree always gives the same text, whatever order the constructs were added in.
 *
 * ```ts
 * expect(manifestSnapshot(chart)).toMatchSnapshot();
 * ```
 */
export function manifestSnapshot(scope: App | Chart): string {
  const charts = Chart.isChart(scope) ? [scope] : (scope as App).charts;
  const sorted = [...charts].sort((a, b) => compareStrings(a.node.path, b.node.path));
  const sections = sorted.map((chart) => {
    const objects = chart.toJson().map(masked).sort(compareObjects);
    const docs = objects.map((o: any) => YAML.stringify(o, { lineWidth: 0 }));
    return `# chart: ${chart.node.path}\n${docs.join('---\n')}`;
  });
  return sections.join('---\n');
}
