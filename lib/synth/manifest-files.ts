/** Finding the manifest files of a synthesized folder (shared by the review report and Kustomize interop). */
import { readdirSync, statSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';

/** Compare two strings by code unit (locale-independent, hence deterministic). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Whether a file name looks like a Kubernetes manifest (`kustomization.yaml` is not one). */
export function isManifestFile(name: string): boolean {
  return /\.ya?ml$/i.test(name) && !/^kustomization\.ya?ml$/i.test(posix.basename(name));
}

/**
 * Every YAML manifest file below `dir` (recursively), as `/`-separated paths relative to `dir`,
 * sorted by code unit. `kustomization.yaml`/`.yml` files are never listed.
 */
export function listManifestFiles(dir: string): string[] {
  const found: string[] = [];
  const walk = (current: string): void => {
    for (const name of readdirSync(current)) {
      const full = join(current, name);
      if (statSync(full).isDirectory()) {
        walk(full);
      } else if (isManifestFile(name)) {
        found.push(relative(dir, full).split(sep).join('/'));
      }
    }
  };
  walk(dir);
  return found.sort(compareStrings);
}
