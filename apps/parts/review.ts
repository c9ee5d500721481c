import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Construct } from 'constructs';
import { ArgoCdApplication, writeKustomization } from '../../lib/synth';

/** One synthesized environment folder that Argo CD deploys. */
export interface GitOpsEnvironment {
  /** The environment's name; the Application is called `<prefix><name>`. */
  readonly name: string;
  /** Its namespace in the cluster. */
  readonly namespace: string;
  /** Its folder in the repository, e.g. `dist/aws/production`. */
  readonly path: string;
  /** The target cluster's API server. @default 'https://kubernetes.default.svc' */
  readonly server?: string;
}

/** Where the synthesized folders live in Git. */
export interface GitOpsOptions {
  /** The repository that holds `dist/`. */
  readonly repoUrl: string;
  /** The branch or tag Argo CD follows. @default 'main' */
  readonly targetRevision?: string;
  /** The Argo CD project. @default 'default' */
  readonly project?: string;
  /** Prefix of the Application names. @default 'shop-' */
  readonly namePrefix?: string;
  /** The environments, one Application each. */
  readonly environments: readonly GitOpsEnvironment[];
}

/**
 * Adds one Argo CD Application per environment folder (automated sync with prune and self-heal,
 * server-side apply, no namespace creation), for teams that deploy `dist/` by GitOps. Put it in
 * the cluster baseline chart.
 */
export function addArgoCdApplications(scope: Construct, options: GitOpsOptions): ArgoCdApplication[] {
  const prefix = options.namePrefix ?? 'shop-';
  return [...options.environments]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((env) => new ArgoCdApplication(scope, `${prefix}${env.name}`, {
      repoUrl: options.repoUrl,
      targetRevision: options.targetRevision ?? 'main',
      project: options.project,
      path: env.path,
      destinationNamespace: env.namespace,
      destinationServer: env.server,
    }));
}

/**
 * After the apps' `synth()`: writes `kustomization.yaml` into each folder of `outdir` named in
 * `folders` (e.g. `createBundledApps(...).map((a) => a.folder)`: `['aws/staging', ...]`), so
 * `kubectl kustomize dist/<cloud>/<env>` and `kubectl apply --server-side -k dist/<cloud>/<env>`
 * work. Returns the files listed per folder.
 */
export function writeEnvironmentKustomizations(outdir: string, folders: readonly string[]): Record<string, string[]> {
  const listed: Record<string, string[]> = {};
  for (const folder of [...folders].sort()) {
    const dir = join(outdir, folder);
    if (!existsSync(dir)) {
      throw new Error(`writeEnvironmentKustomizations: '${dir}' does not exist; synthesize the app into it before writing its kustomization`);
    }
    listed[folder] = writeKustomization(dir);
  }
  return listed;
}
