import { join } from 'node:path';
import { App, YamlOutputType } from 'cdk8s';
import { KubernetesVersion, PolicyPack, setKubernetesVersion } from '../lib';
import { ClusterBaselineStack } from './cluster-baseline-stack';
import { GITOPS_REPO_URL } from './config/gitops';
import { production } from './config/production';
import { releaseTag } from './config/release-tag';
import { Cloud, CLOUDS } from './config/shop-config';
import { staging } from './config/staging';
import { createControlPlaneApps } from './control-plane-stack';
import { compositionChecks } from './parts/composition';
import { SynthesizedFolder, synthFolders } from './parts/synth';
import { ShopStack } from './shop-stack';
import { checkOneOwnerPerObject } from '../lib/synth';

/** One cdk8s App per output folder: `dist/<cloud>/cluster/` and `dist/<cloud>/<environment>/`. */
export interface BundledApp {
  /** The folder, relative to the output root (e.g. `aws/production`). */
  readonly folder: string;
  /** The app writing into it. */
  readonly app: App;
  /** The admission policy pack of the cluster it deploys to: every object must pass it. */
  readonly policies: PolicyPack;
}

/** The clouds and environments the bundled stacks render, in output order. */
export const BUNDLED_CLOUDS: readonly Cloud[] = ['aws', 'alibaba'];
export const BUNDLED_ENVIRONMENTS = [staging, production] as const;

/** Options of {@link createBundledApps} and {@link synthBundledApps}. */
export interface BundledAppsOptions {
  /** The environment the release tag is read from. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** Target this Kubernetes minor instead of each cloud's (e.g. the 1.28 run of `npm run test:cluster`). @default - `CLOUDS[cloud].kubernetesVersion` */
  readonly kubernetesVersion?: KubernetesVersion;
}

/**
 * Builds every bundled app stack under `outRoot`. Chart ids name the output files, so treat them
 * as a contract: renaming one renames a file in `dist/`.
 */
export function createBundledApps(outRoot: string, options: BundledAppsOptions = {}): BundledApp[] {
  const tag = releaseTag(options.env ?? process.env);
  const apps: BundledApp[] = [];
  for (const cloud of BUNDLED_CLOUDS) {
    const kubernetesVersion = options.kubernetesVersion ?? CLOUDS[cloud].kubernetesVersion;
    const cluster = new App({ outdir: join(outRoot, cloud, 'cluster'), yamlOutputType: YamlOutputType.FILE_PER_CHART });
    setKubernetesVersion(cluster, kubernetesVersion);
    const baseline = new ClusterBaselineStack(cluster, 'cluster-baseline', {
      cloud: CLOUDS[cloud],
      gitOps: {
        repoUrl: GITOPS_REPO_URL,
        environments: BUNDLED_ENVIRONMENTS.map((env) => ({ name: env.name, namespace: env.namespace, path: `dist/${cloud}/${env.name}` })),
      },
    });
    const policies = baseline.policies.pack;
    apps.push({ folder: `${cloud}/cluster`, app: cluster, policies });
    for (const env of BUNDLED_ENVIRONMENTS) {
      const folder = `${cloud}/${env.name}`;
      const app = new App({ outdir: join(outRoot, folder), yamlOutputType: YamlOutputType.FILE_PER_CHART });
      setKubernetesVersion(app, kubernetesVersion);
      new ShopStack(app, 'shop', { config: env, cloud: CLOUDS[cloud], releaseTag: tag, storageClass: baseline.storage.fastSsd });
      apps.push({ folder, app, policies });
    }
  }
  return apps;
}

/**
 * Synthesizes every bundled app under `outRoot` and writes a `kustomization.yaml` into each
 * folder, so `kubectl apply -k` and `kubectl kustomize` work on any of them. `outRoot` is replaced
 * as a whole (a removed stack does not linger), atomically: a failing synth or a killed process
 * leaves it as it was. Returns the apps and what each wrote (charts and objects per folder).
 */
export function synthBundledApps(outRoot: string, options: BundledAppsOptions = {}): { apps: BundledApp[]; written: SynthesizedFolder[] } {
  const apps = createBundledApps(outRoot, options);
  // Pull paths the cluster baselines grant to every environment (ACK's acr-configuration).
  const clusterGrants = apps.filter((a) => a.folder.endsWith('/cluster')).flatMap((a) => a.app.charts.flatMap((c) => c.toJson()))
    .filter((o) => o.kind === 'ConfigMap' && o.metadata?.name === 'acr-configuration');
  // One owner per cluster object: the targets of one cloud's cluster never emit the same object.
  for (const cloud of BUNDLED_CLOUDS) {
    checkOneOwnerPerObject(cloud, apps.filter((a) => a.folder.startsWith(`${cloud}/`)).map((a) => ({ name: a.folder, app: a.app })));
  }
  // The linear synth (same bytes as app.synth()); the cluster's admission rules run on the
  // resolved objects before anything is written, so a violation fails here, not at deploy; so do
  // the composition checks (NetworkPolicy wiring, image pull paths). The control-plane folders are
  // node files for kubeadm (dist/<cloud>/control-plane/), not applied to the API server.
  const nodeFiles = createControlPlaneApps(outRoot, BUNDLED_CLOUDS.map((c) => CLOUDS[c]), { target: options.kubernetesVersion });
  return { apps, written: synthFolders(outRoot, apps, compositionChecks({ clusterObjects: () => clusterGrants }), nodeFiles) };
}
