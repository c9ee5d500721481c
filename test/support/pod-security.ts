import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { checkPodSecurityOfManifests, findPodTemplates, PodSecurityLevel } from '../../lib/policy';

/**
 * Fail the current test, listing every Pod Security Standards violation (object, field, message),
 * unless every pod template of `manifests` passes `level` (default: restricted). Also fails when
 * `manifests` holds no pod template at all, so a broken loader cannot pass silently.
 */
export function expectRestricted(manifests: readonly any[], level: PodSecurityLevel = 'restricted'): void {
  const templates = manifests.flatMap((m) => findPodTemplates(m));
  if (templates.length === 0) {
    throw new Error(`expected at least one pod template among ${manifests.length} manifest(s), found none`);
  }
  const violations = checkPodSecurityOfManifests(manifests, level);
  if (violations.length > 0) {
    const lines = violations.map((v) => `  - ${v.where}: ${v.field} [${v.rule}] ${v.message}`);
    throw new Error(
      `${violations.length} Pod Security Standards (${level}) violation(s) in ${templates.length} pod template(s):\n${lines.join('\n')}`,
    );
  }
}

/**
 * Parse every `*.yaml` / `*.yml` file under `dir` (recursively, in sorted order) into plain objects,
 * one per YAML document; empty documents are skipped. Throws on a YAML syntax error, naming the file.
 */
export function loadDistManifests(dir = 'dist'): any[] {
  const manifests: any[] = [];
  for (const file of listYamlFiles(dir)) {
    const docs = parseAllDocuments(fs.readFileSync(file, 'utf8'));
    for (const doc of Array.isArray(docs) ? docs : [docs]) {
      if (doc.errors.length > 0) {
        throw new Error(`${file}: ${doc.errors.map((e) => e.message).join('; ')}`);
      }
      const value = doc.toJS();
      if (value !== null && value !== undefined) {
        manifests.push(value);
      }
    }
  }
  return manifests;
}

function listYamlFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      files.push(...listYamlFiles(full));
    } else if (/\.ya?ml$/.test(entry.name)) {
      files.push(full);
    }
  }
  return files;
}
