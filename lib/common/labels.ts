/** The value of `app.kubernetes.io/managed-by` on every object this library builds. */
export const MANAGED_BY = 'cdk8s-guardrails';

/** What {@link workloadLabels} needs to label one application component. */
export interface WorkloadLabelOptions {
  /** The application name: `app` and `app.kubernetes.io/name`. */
  readonly name: string;
  /** The version: `version` and `app.kubernetes.io/version`. */
  readonly version: string;
  /** The role within the architecture: `component` and `app.kubernetes.io/component`. */
  readonly component: string;
  /** The higher-level application this is part of. @default - no `app.kubernetes.io/part-of` label */
  readonly partOf?: string;
}

/**
 * The labels selectors use: only those that never change over a workload's life. The `version`
 * label is left out on purpose: a selector that includes it orphans pods on every release.
 */
export function selectorLabels(name: string): Record<string, string> {
  return { app: name };
}

/**
 * The `app`/`version`/`component` labels that the documented Gatekeeper policy requires, plus
 * the Kubernetes recommended `app.kubernetes.io/*` labels, sorted for stable output.
 */
export function workloadLabels(options: WorkloadLabelOptions): Record<string, string> {
  const labels: Record<string, string> = {
    'app': options.name,
    'app.kubernetes.io/component': options.component,
    'app.kubernetes.io/instance': options.name,
    'app.kubernetes.io/managed-by': MANAGED_BY,
    'app.kubernetes.io/name': options.name,
    'app.kubernetes.io/version': options.version,
    'component': options.component,
    'version': options.version,
  };
  if (options.partOf !== undefined) labels['app.kubernetes.io/part-of'] = options.partOf;
  return Object.fromEntries(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));
}
