import { Chart, Testing } from 'cdk8s';

/** A synthesized Kubernetes object (untyped: tests read its fields). */
export type Manifest = Record<string, any>;

/** Synthesizes `chart` and returns the one object of `kind` (and `name`, when given). */
export function findOne(chart: Chart, kind: string, name?: string): Manifest {
  const matches = Testing.synth(chart).filter((m) => m.kind === kind && (name === undefined || m.metadata?.name === name));
  if (matches.length !== 1) throw new Error(`expected one ${kind}${name ? ` '${name}'` : ''}, found ${matches.length}`);
  return matches[0];
}

/** Synthesizes `chart` and returns every object of `kind`. */
export function findAll(chart: Chart, kind: string): Manifest[] {
  return Testing.synth(chart).filter((m) => m.kind === kind);
}

/** The first container of a Deployment/StatefulSet manifest. */
export function mainContainer(workload: Manifest): Manifest {
  return workload.spec.template.spec.containers[0];
}
