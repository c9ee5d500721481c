import * as path from 'path';

/**
 * The `customTags` option that makes the `yaml` package write every string so that kubectl's
 * YAML 1.1 reader (go-yaml v2 behind sigs.k8s.io/yaml) reads back the same string:
 *
 * - strings go-yaml would resolve to another type are quoted: Go integer syntax with any base
 *   prefix, sign or underscores (`0o17`, `0B101`, `-0o7`, `0X1F`, `1_0`), YAML 1.1 booleans, nulls,
 *   floats, `.inf`/`.nan` and `<<` (the `yaml` package alone only quotes what *it* would misread);
 * - characters a YAML 1.1 reader refuses or takes as a line break (DEL and C1 controls, U+2028,
 *   U+2029, U+FFFE, U+FFFF) are escaped inside double quotes instead of written raw.
 *
 * Every other string renders byte-identically to stock cdk8s. Strings holding an unpaired UTF-16
 * surrogate cannot be written as UTF-8 at all; the synth refuses them before rendering.
 *
 * Self-contained on purpose (no outer references): the YAML worker threads evaluate its source.
 * `stringifyString` is the `yaml` package's own (`yaml/util`), from the same copy that renders.
 */
export function kubectlSafeStringTags(stringifyString: (...args: any[]) => string): (tags: any[]) => any[] {
  const goYamlReserved = new Set([
    'y', 'Y', 'yes', 'Yes', 'YES', 'n', 'N', 'no', 'No', 'NO', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE',
    'on', 'On', 'ON', 'off', 'Off', 'OFF', '', '~', 'null', 'Null', 'NULL', '<<',
    '.nan', '.NaN', '.NAN', '.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF',
  ]);
  // go-yaml v2 `resolve`: a plain scalar starting with a digit, sign or dot loses its underscores,
  // then is tried with strconv.ParseInt/ParseUint(s, 0, 64), its float pattern and `0b` binary;
  // an integer that overflows still matches the float pattern. Over-matching only adds quotes.
  const goNumber = /^[-+]?(?:0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|[0-9]+|(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?)$/;
  const readsAsNonString = (s: string): boolean =>
    goYamlReserved.has(s) || (/^[-+.0-9]/.test(s) && goNumber.test(s.replace(/_/g, '')));
  // Characters that must never appear raw in the file (go-yaml: "control characters are not allowed"
  // for DEL, C1 and U+FFFE/U+FFFF; NEL, LS and PS are YAML 1.1 line breaks).
  const unwritable = /[\x7f-\x9f\u2028\u2029\ufffe\uffff]/;
  const unwritableAll = /[\x7f-\x9f\u2028\u2029\ufffe\uffff]/g;
  const escape = (c: string) => '\\u' + c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');

  const stringTag = {
    identify: (value: unknown) => typeof value === 'string',
    default: true,
    tag: 'tag:yaml.org,2002:str',
    resolve: (s: string) => s,
    stringify(item: { value: string; type?: string }, ctx: object, onComment?: () => void, onChompKeep?: () => void): string {
      const context = Object.assign({ actualString: true }, ctx);
      if (typeof item.value === 'string' && unwritable.test(item.value)) {
        // Inside double quotes every raw occurrence is the character itself, never part of an escape.
        const quoted = stringifyString(Object.assign({}, item, { type: 'QUOTE_DOUBLE' }), context, onComment, onChompKeep);
        return quoted.replace(unwritableAll, escape);
      }
      return stringifyString(item, context, onComment, onChompKeep);
    },
  };
  // Never chosen for a value (identify is false): the stringifier quotes any plain string whose
  // text a default tag's `test` matches, so this tag only adds go-yaml's readings to that test.
  const goYamlScalars = {
    identify: () => false,
    default: true,
    tag: 'tag:cdk8s-guardrails,2026:go-yaml-non-string',
    resolve: (s: string) => s,
    test: { test: readsAsNonString } as unknown as RegExp,
  };
  // Without YAML 1.1's merge tag, whose stringifier writes a `<<` string key plain (a merge key).
  return (tags: any[]) => [stringTag, goYamlScalars, ...tags.filter(t => t.tag !== 'tag:yaml.org,2002:merge')];
}

/** Where cdk8s's own copy of the `yaml` package lives (the one `Yaml.stringify` uses). */
export function cdk8sYamlPaths(): { yaml: string; util: string } {
  const yaml = require.resolve('yaml', { paths: [path.dirname(require.resolve('cdk8s'))] });
  return { yaml, util: path.join(path.dirname(yaml), 'util.js') };
}

/** cdk8s 2.70's `Yaml.stringify` options for one document, plus {@link kubectlSafeStringTags}. */
export function kubectlSafeYamlOptions(stringifyString: (...args: any[]) => string): Record<string, unknown> {
  return { keepUndefined: true, lineWidth: 0, version: '1.1', customTags: kubectlSafeStringTags(stringifyString) };
}

let inline: ((doc: unknown) => string) | undefined;

/**
 * Renders one manifest as cdk8s's `Yaml.stringify` does (an undefined document is `'\n'`), with
 * strings written so that kubectl reads them back unchanged.
 */
export function renderYamlDocument(doc: unknown): string {
  if (!inline) {
    const paths = cdk8sYamlPaths();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const YAML = require(paths.yaml);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const options = kubectlSafeYamlOptions(require(paths.util).stringifyString);
    inline = d => (d === undefined ? '\n' : YAML.stringify(d, options));
  }
  return inline(doc);
}
