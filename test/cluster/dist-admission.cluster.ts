/**
 * Every folder of dist/, on a fresh real API server per folder and per Kubernetes version: the
 * vendored CRDs install (or are refused exactly as listed in KNOWN_CRD_REFUSALS), every object is
 * admitted by server-side apply under the folder's own field manager, without a warning (deprecated
 * API versions, ignored fields), and stored as applied, and
 * every pod template, as a Pod, passes PodSecurity under its namespace's labels while a
 * privileged/hostNetwork/root pod is denied.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  admitPod, applyObjects, applyTarget, diffStored, installVendoredCrds, kindsOfCrdFiles, objectRef, podsFromTemplates, privilegedPod, readManifests,
} from './support/apply';
import { minorOf, startKubeServer } from './support/kube-server';
import { distFor, expectedCrdRefusals, serverVersions, targetFolders, unexpectedApplyWarnings } from './support/targets';

const progress = (line: string) => process.stderr.write(`[test:cluster ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

describe.each(serverVersions())('dist/ on kube-apiserver %s', (version) => {
  const minor = minorOf(version);
  let dist: { root: string; synthesized: boolean };
  beforeAll(() => {
    dist = distFor(version);
    progress(`${version}: checking ${dist.synthesized ? `a fresh 1.${minor} synth in ${dist.root}` : 'the committed dist/'}`);
  });
  afterAll(() => { if (dist?.synthesized) rmSync(dist.root, { recursive: true, force: true }); });

  const folders = targetFolders(join(__dirname, '..', '..', 'dist'));
  test.each(folders)('%s: admitted, stored as applied, pods pass PodSecurity', async (folder) => {
    const started = Date.now();
    const server = await startKubeServer({ version });
    try {
      const { rejected } = installVendoredCrds(server);
      const expected = expectedCrdRefusals(minor);
      expect(rejected.map((r) => r.file).sort()).toEqual(expected.map((r) => r.file).sort());
      for (const r of rejected) expect(r.message).toMatch(expected.find((e) => e.file === r.file)!.message);

      const objects = readManifests(join(dist.root, folder));
      // An environment runs on its cluster's baseline: its pods name the baseline's PriorityClasses.
      const [cloud, target] = folder.split('/');
      if (target !== 'cluster') {
        const classes = readManifests(join(dist.root, cloud, 'cluster')).filter((o) => o.kind === 'PriorityClass');
        applyObjects(server, classes, `${cloud}-cluster`, `${cloud}/cluster PriorityClasses`);
      }
      const { applied, skipped, warnings } = applyTarget(server, objects, folder.replace('/', '-'), kindsOfCrdFiles(rejected.map((r) => r.file)));
      if (skipped.length > 0) progress(`${version} ${folder}: not applied (CRD refused by this version): ${skipped.map(objectRef).join(', ')}`);
      // No deprecated API version or ignored field beyond the listed ones: the server warns about neither.
      if (warnings.length > 0) progress(`${version} ${folder}: ${[...new Set(warnings)].join('; ')}`);
      expect(unexpectedApplyWarnings(warnings, minor)).toEqual([]);

      expect(diffStored(server, applied)).toEqual([]);

      const pods = podsFromTemplates(applied);
      const denied = pods.map((p) => [objectRef(p), admitPod(server, p)]).filter(([, message]) => message !== undefined);
      expect(denied).toEqual([]);
      for (const ns of applied.filter((o) => o.kind === 'Namespace')) {
        const enforce = ns.metadata.labels?.['pod-security.kubernetes.io/enforce'];
        if (enforce !== 'restricted' && enforce !== 'baseline') continue;
        const sa = applied.find((o) => o.kind === 'ServiceAccount' && o.metadata.namespace === ns.metadata.name)?.metadata.name;
        expect(admitPod(server, privilegedPod(ns.metadata.name, sa))).toMatch(/violates PodSecurity "(restricted|baseline):v1\.\d+"/);
      }
      progress(`${version} ${folder}: ${applied.length} objects admitted and stored, ${pods.length} pods admitted (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    } finally {
      await server.stop();
    }
  });
});

