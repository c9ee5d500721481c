import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';

/** The label that marks objects of the second apply phase (`kubectl apply -k ... -l`). */
export const APPLY_PHASE_LABEL = 'cdk8s-guardrails/apply-phase';

/** The Argo CD sync wave annotation. */
export const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';

/**
 * Where an object goes in the apply order of a cluster baseline: ConstraintTemplates first (wave
 * -1: Gatekeeper turns each into its constraint kind), everything else (wave 0), then the
 * Gatekeeper constraints (wave 1, apply phase 2), whose kinds exist only once Gatekeeper has
 * processed the templates. Argo CD already puts Namespaces and CRDs first within a wave.
 */
export function applyWaveOf(apiVersion: string, kind: string): { wave: number; phase: 1 | 2 } {
  if (apiVersion.startsWith('templates.gatekeeper.sh/') && kind === 'ConstraintTemplate') return { wave: -1, phase: 1 };
  if (apiVersion.startsWith('constraints.gatekeeper.sh/')) return { wave: 1, phase: 2 };
  return { wave: 0, phase: 1 };
}

/**
 * Annotates every ApiObject under `scope` that is not in wave 0 with its Argo CD sync wave, and
 * labels the second-phase objects with {@link APPLY_PHASE_LABEL} `'2'`, so `kubectl apply -k`
 * users can apply in the same order (docs/conformance.md, "Apply order"). Call it once, after
 * every object has been added.
 */
export function addApplyOrder(scope: IConstruct): void {
  for (const obj of scope.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject)) {
    const { wave, phase } = applyWaveOf(obj.apiVersion, obj.kind);
    if (wave !== 0) obj.metadata.addAnnotation(SYNC_WAVE_ANNOTATION, String(wave));
    if (phase === 2) obj.metadata.addLabel(APPLY_PHASE_LABEL, '2');
  }
}
