import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';

/** Every file under `dir`, recursively: relative path → text, in sorted order. */
export function readTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else out[relative(dir, path)] = readFileSync(path, 'utf8');
    }
  };
  walk(dir);
  return out;
}

/** The Kubernetes objects of every YAML file in `tree` whose path starts with `prefix` (kustomizations are not objects). */
export function manifestsOf(tree: Record<string, string>, prefix = ''): Record<string, any>[] {
  return Object.entries(tree)
    .filter(([path]) => path.startsWith(prefix) && /\.ya?ml$/.test(path) && !path.endsWith('kustomization.yaml'))
    .flatMap(([, text]) => parseAllDocuments(text).map((d) => d.toJSON()))
    .filter((m) => m !== null);
}
