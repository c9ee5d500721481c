// Property: in a multi-target tree (a copy of the bundled dist/ as read from disk), a random
// single-field edit of a random object is reported under that object's target, naming the object
// and the field.
import { resolve } from 'node:path';
import fc from 'fast-check';
import { readManifestTreeFromDir, renderReviewReport, TreeObject } from './review-support';
import { formatObjectId, identify } from '../../lib/synth/review/object-diff';

const tree = readManifestTreeFromDir(resolve(__dirname, '../../dist'));

/** Every leaf of a value as [JSON pointer segments, value]. */
function leaves(value: unknown, path: string[] = []): [string[], unknown][] {
  if (value !== null && typeof value === 'object') {
    const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
    return entries.flatMap(([k, v]) => leaves(v, [...path, k]));
  }
  return [[path, value]];
}

const pointer = (segments: string[]): string => `/${segments.map((s) => s.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
const IDENTITY = /^\/(apiVersion|kind|metadata\/(name|namespace))$/;

describe('review of single-field edits (property)', () => {
  test('the tree has several targets', () => {
    expect(new Set(tree.map((e) => e.target)).size).toBeGreaterThan(1);
  });

  test('names the edited object, its field and its target', () => {
    const edit = fc.record({
      index: fc.nat({ max: tree.length - 1 }),
      leaf: fc.nat(),
      value: fc.oneof(fc.stringMatching(/^[a-z0-9.-]{1,12}$/).map((s) => `edit-${s}`), fc.integer({ min: 100000, max: 999999 })),
    });
    fc.assert(fc.property(edit, ({ index, leaf, value }) => {
      const entry = tree[index];
      const all = leaves(entry.object);
      const [segments, old] = all[leaf % all.length];
      fc.pre(old !== value);
      const object = structuredClone(entry.object);
      let parent: any = object;
      for (const s of segments.slice(0, -1)) parent = parent[s];
      parent[segments[segments.length - 1]] = value;
      const head: TreeObject[] = tree.map((e, i) => (i === index ? { ...e, object } : e));
      const report = renderReviewReport(tree, head, { checks: [], maxReportLength: 1e9 });
      const section = report.split(`### Target \`${entry.target}\``)[1]?.split('\n### ')[0] ?? '';
      const path = pointer(segments);
      if (IDENTITY.test(path)) {
        // an identity field: the old object is removed and the new one added
        expect(section).toContain(`\`${formatObjectId(identify(entry))}\``);
        expect(section).toContain(`\`${formatObjectId(identify({ ...entry, object }))}\``);
      } else {
        expect(section).toContain(`<code>${formatObjectId(identify(entry)).replace(/&/g, '&amp;').replace(/</g, '&lt;')}</code>: 1 field`);
        expect(section).toContain(`| \`${path}\` |`);
      }
      expect(report).toMatch(new RegExp(`- Targets: \\d+, 1 changed: \`${entry.target}\`\\n`));
    }), { numRuns: 100, seed: Number(process.env.REVIEW_EDIT_SEED ?? Date.now() % 2 ** 31) });
  });
});
