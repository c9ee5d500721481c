import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBundledApps } from '../../apps/bundled-app';
import { APPLY_PHASE_LABEL, applyWaveOf, SYNC_WAVE_ANNOTATION } from '../../lib/synth';

describe('apply order of a cluster baseline', () => {
  test('ConstraintTemplates come first, Gatekeeper constraints last (phase 2), everything else between', () => {
    expect(applyWaveOf('templates.gatekeeper.sh/v1', 'ConstraintTemplate')).toEqual({ wave: -1, phase: 1 });
    expect(applyWaveOf('constraints.gatekeeper.sh/v1beta1', 'K8sRequiredLabels')).toEqual({ wave: 1, phase: 2 });
    expect(applyWaveOf('storage.k8s.io/v1', 'StorageClass')).toEqual({ wave: 0, phase: 1 });
  });

  test('the bundled baselines carry the waves, the phase label and SkipDryRunOnMissingResource on every constraint', () => {
    const apps = createBundledApps(mkdtempSync(join(tmpdir(), 'apply-order-')), { env: {} });
    for (const { folder, app } of apps.filter((a) => a.folder.endsWith('/cluster'))) {
      const objects = app.charts.flatMap((c) => c.toJson());
      const templates = objects.filter((o) => o.kind === 'ConstraintTemplate');
      const constraints = objects.filter((o) => String(o.apiVersion).startsWith('constraints.gatekeeper.sh/'));
      expect([folder, templates.length > 0, constraints.length]).toEqual([folder, true, templates.length]);
      for (const t of templates) expect(t.metadata.annotations[SYNC_WAVE_ANNOTATION]).toBe('-1');
      for (const c of constraints) {
        expect(c.metadata.annotations).toMatchObject({ [SYNC_WAVE_ANNOTATION]: '1', 'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true' });
        expect(c.metadata.labels[APPLY_PHASE_LABEL]).toBe('2');
      }
      expect(objects.filter((o) => o.metadata?.labels?.[APPLY_PHASE_LABEL] !== undefined)).toHaveLength(constraints.length);
    }
  });
});
