import { ApiObject, App, Chart, Yaml } from 'cdk8s';
import * as fc from 'fast-check';
import * as YAML from 'yaml';
import { synthAppYaml } from '../../lib/synth/synth-app';
import { renderYamlDocument } from '../../lib/synth/yaml-strings';
import { kubeCheck } from '../support/kube-check';

/** Renders `docs`, then reads each back with kubectl's YAML 1.1 reader and the `yaml` package. */
function readBack(docs: unknown[]): { text: string; kubectl: unknown; yaml11: unknown; yaml12: unknown }[] {
  const texts = docs.map(d => renderYamlDocument(d));
  const answers = kubeCheck<{ json?: unknown; error?: string }>('yaml', texts);
  return texts.map((text, i) => ({
    text,
    kubectl: answers[i].error !== undefined ? `error: ${answers[i].error}` : answers[i].json,
    yaml11: YAML.parse(text, { version: '1.1' }),
    yaml12: YAML.parse(text),
  }));
}

// Strings go-yaml v2 (kubectl) reads as numbers, booleans or null, and characters a YAML 1.1
// reader refuses or takes for line breaks (issue #17).
const TRICKY = [
  '0o17', '0O17', '-0o7', '+0o7', '0B101', '0b101', '-0b1', '0X1F', '0x1F', '1_0', '0_o17', '1__0', '_1', '.5', '+.5', '1.e5',
  '08', '99999999999999999999', '1e3', 'y', 'N', 'yes', 'On', 'OFF', '~', 'null', 'NULL', '', '.inf', '-.Inf', '.NaN', '<<',
  '\x7f', 'a\x7fb', 'a"b\x7f', "a'b\x7f", '\x85', '\x9f', 'a\u2028b', 'a\u2029b', 'x\ny\u2028z', '\ufffe', '\uffff', '\ufeff',
  '2001-12-14', '12:30', 'tab\there', '\u00a0', '😀', 'line\nbreak', ' leading', 'trailing ', '#', '- x', 'a: b',
];

describe('YAML strings round-trip through kubectl and the yaml package', () => {
  test.each(TRICKY.map(s => [JSON.stringify(s), s]))('%s as a value and as a key', (_, s) => {
    const [doc] = readBack([{ value: s, map: { [s]: 'v' }, list: [s] }]);
    const expected = { value: s, map: { [s]: 'v' }, list: [s] };
    expect({ text: doc.text, read: doc.kubectl }).toEqual({ text: doc.text, read: expected });
    expect(doc.yaml11).toEqual(expected);
    expect(doc.yaml12).toEqual(expected);
  });

  test("WorkloadEnv.value('0o17') stays a string for kubectl (issue #17)", () => {
    expect(renderYamlDocument({ value: '0o17' })).toBe('value: "0o17"\n');
    expect(renderYamlDocument({ value: '\x7f' })).toBe('value: "\\u007F"\n');
    expect(renderYamlDocument({ value: 'a\u2028b' })).toBe('value: "a\\u2028b"\n');
  });

  test('arbitrary strings (values and keys) read back as the same string', () => {
    // Any Unicode text except unpaired surrogates (which the synth refuses: not UTF-8), biased
    // towards the characters that decide how a YAML scalar is read.
    const special = fc.constantFrom(...'0123456789_.+-eExXoObB:#-?!&*|>\'"%@`{}[], \t\n\r\x7f\x85\u2028\u2029\ufeff\ufffe\uffff\x00\x1b~<'.split(''));
    const text = fc.array(fc.oneof(special, fc.string({ unit: 'grapheme', maxLength: 1 }), fc.constantFrom('yes', 'null', '0o', '0B', '.inf', '<<', '---', '...')), { maxLength: 8 })
      .map(parts => parts.join(''));
    const samples = fc.sample(fc.tuple(text, text), { numRuns: 2000, seed: 2028 });
    const docs = samples.map(([value, key]) => ({ value, map: { [key]: value }, list: [value, key] }));
    const read = readBack(docs);
    read.forEach((r, i) => {
      expect({ text: r.text, kubectl: r.kubectl }).toEqual({ text: r.text, kubectl: docs[i] });
      expect({ text: r.text, yaml11: r.yaml11, yaml12: r.yaml12 }).toEqual({ text: r.text, yaml11: docs[i], yaml12: docs[i] });
    });
  });

  test('ordinary documents render byte-identically to cdk8s Yaml.stringify', () => {
    const ordinary = fc.dictionary(fc.stringMatching(/^[a-zA-Z][-a-zA-Z0-9_./]{0,20}$/), fc.oneof(
      fc.stringMatching(/^[a-zA-Z][-a-zA-Z0-9 _./:]{0,30}$/), fc.integer(), fc.boolean(), fc.constantFrom('123', 'true', '1.5', 'null', 'a\nb', ''),
    ));
    fc.assert(fc.property(ordinary, doc => {
      expect(renderYamlDocument(doc)).toBe(Yaml.stringify(doc));
    }), { numRuns: 500 });
  });

  test('worker-thread rendering applies the same rule (byte-identical to inline)', () => {
    const build = () => {
      const app = new App();
      const chart = new Chart(app, 'c');
      new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: '0o17', b: 'a\u2028b', c: '\x7f', d: 'plain' } });
      return app;
    };
    const inline = synthAppYaml(build(), { renderThreads: 0 });
    expect(inline).toContain('a: "0o17"');
    expect(synthAppYaml(build(), { renderThreads: 1 })).toBe(inline);
  });
});
