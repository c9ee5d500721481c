import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, AppProps } from 'cdk8s';
import { synthApp, SynthAppOptions } from '../../lib/synth';

/** Every file under `dir` (relative path → content), in sorted order. */
export function readTree(dir: string): Record<string, string> {
  const result: Record<string, string> = {};
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else result[path.relative(dir, full)] = fs.readFileSync(full, 'utf8');
    }
  };
  walk(dir);
  return result;
}

export function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'synth-test-'));
}

/**
 * Builds the same app twice (`build` must be deterministic), synthesizes one with stock
 * `App.synth()` and one with `synthApp`, and returns both output trees.
 */
export function synthBoth(
  props: AppProps, build: (app: App) => void, options: SynthAppOptions = {},
): { stock: Record<string, string>; ours: Record<string, string> } {
  const stockDir = tmpDir();
  const oursDir = tmpDir();
  try {
    const stockApp = new App({ ...props, outdir: stockDir });
    build(stockApp);
    stockApp.synth();
    const oursApp = new App({ ...props, outdir: oursDir });
    build(oursApp);
    synthApp(oursApp, options);
    return { stock: readTree(stockDir), ours: withoutExactMetadataKeys(readTree(oursDir)) };
  } finally {
    fs.rmSync(stockDir, { recursive: true, force: true });
    fs.rmSync(oursDir, { recursive: true, force: true });
  }
}

/**
 * synthApp's construct-metadata.json adds exact `<kind> <namespace>/<name>` keys (for the
 * validation plugin) after stock's name keys; drop them so the rest must match stock byte for byte.
 */
function withoutExactMetadataKeys(tree: Record<string, string>): Record<string, string> {
  for (const [file, text] of Object.entries(tree)) {
    if (path.basename(file) !== 'construct-metadata.json') continue;
    const parsed = JSON.parse(text);
    parsed.resources = Object.fromEntries(Object.entries(parsed.resources).filter(([key]) => !key.includes(' ')));
    tree[file] = JSON.stringify(parsed);
  }
  return tree;
}
