/**
 * One cluster, all its targets (issue #20): into ONE server per cloud, the documented commands of
 * docs/conformance.md ("Apply order") run literally — the cluster baseline in two phases, then
 * each environment — with one field manager per target, as the Argo CD Applications do. No
 * conflict, no missing kind, every object stored as applied. Gatekeeper's template -> CRD step
 * is emulated between the phases (no Gatekeeper runs here).
 */
import { join } from 'node:path';
import {
  applyObjects, constraintCrdsFor, diffStored, installVendoredCrds, objectRef, readManifests, readStored, REPO_ROOT, storedKey, waitEstablished,
} from './support/apply';
import { minorOf, startKubeServer } from './support/kube-server';
import { distFor, expectedCrdRefusals, serverVersions, targetFolders } from './support/targets';
import { APPLY_PHASE_LABEL } from '../../lib/synth/apply-order';

const progress = (line: string) => process.stderr.write(`[test:cluster ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
const clouds = [...new Set(targetFolders(join(REPO_ROOT, 'dist')).map((f) => f.split('/')[0]))];
// The documented order is for targets whose add-on CRDs all install (1.30+ with the vendored releases).
const versions = serverVersions().filter((v) => expectedCrdRefusals(minorOf(v)).length === 0);

if (versions.length === 0) {
  test.skip(`the documented order needs a target whose add-on CRDs all install (1.30+); none in ${serverVersions().join(', ')}`, () => undefined);
}

if (versions.length > 0) {
  describe.each(versions)('one cluster per cloud on kube-apiserver %s, in the documented order', (version) => {
    test.each(clouds)('%s: baseline (two phases) then every environment, one field manager each', async (cloud) => {
      const dist = distFor(version);
      const server = await startKubeServer({ version });
      try {
        const { rejected } = installVendoredCrds(server);
        expect(rejected).toEqual([]);
        const folders = targetFolders(dist.root).filter((f) => f.startsWith(`${cloud}/`));
        const cluster = `${cloud}/cluster`;
        const environments = folders.filter((f) => f !== cluster && !f.endsWith('/control-plane'));
        const all = [cluster, ...environments].flatMap((f) => readManifests(join(dist.root, f)));

        // Phase 0 (the add-ons' install): the namespaces the add-ons own, e.g. argocd.
        const own = new Set(all.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name));
        const addOnNamespaces = [...new Set(all.map((o) => o.metadata?.namespace).filter((n) => n && !own.has(n) && n !== 'kube-system'))];
        applyObjects(server, addOnNamespaces.map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } })), 'add-ons', 'add-on namespaces');

        const kustomize = (folder: string, manager: string, allowFailure = false) => server.kubectl([
          'apply', '--server-side', `--field-manager=${manager}`, '-k', join(dist.root, folder),
        ], { allowFailure });
        const manager = cluster.replace('/', '-');
        // Phase 1: kubectl applies every object whose kind exists and names the phase-2 ones (the
        // Gatekeeper constraints, labelled apply-phase=2) as "no matches for kind": only those.
        const first = kustomize(cluster, manager, true);
        const phase2 = readManifests(join(dist.root, cluster)).filter((o) => o.metadata?.labels?.[APPLY_PHASE_LABEL] === '2');
        const unmapped = [...first.stderr.matchAll(/no matches for kind "([^"]+)"/g)].map((m) => m[1]).sort();
        expect(unmapped).toEqual(phase2.map((o) => o.kind).sort());
        expect(first.stderr.split('\n').filter((l) => l.trim() && !/resource mapping not found|no matches for kind|ensure CRDs are installed first/.test(l))).toEqual([]);
        // Gatekeeper turns each ConstraintTemplate into its constraint kind (emulated here).
        const crds = constraintCrdsFor(readManifests(join(dist.root, cluster)));
        applyObjects(server, crds, 'gatekeeper-emulation', 'constraint CRDs from the ConstraintTemplates');
        waitEstablished(server, crds);
        // Phase 2: the same command again, now complete.
        kustomize(cluster, manager);
        for (const env of environments) kustomize(env, env.replace('/', '-'));

        expect(diffStored(server, all)).toEqual([]);
        // Every object has exactly one applying field manager: its own target's.
        const { stored } = readStored(server, all);
        const managers = all.map((o) => [objectRef(o),
          (stored.get(storedKey(o))?.metadata?.managedFields ?? []).filter((m: any) => m.operation === 'Apply').map((m: any) => m.manager)]);
        expect(managers.filter(([, m]) => (m as string[]).length !== 1)).toEqual([]);
        progress(`${version} ${cloud}: ${all.length} objects from ${1 + environments.length} targets applied into one server, one owner each`);
      } finally {
        await server.stop();
      }
    });
  });
}
