import { join } from 'node:path';
import { App, YamlOutputType } from 'cdk8s';
import { production } from './config/production';
import { releaseTag } from './config/release-tag';
import { Cloud, CLOUDS } from './config/shop-config';
import { staging } from './config/staging';
import { ShopStack } from './shop-stack';

/** One cdk8s App per output folder: `dist/<cloud>/<environment>/`. */
export interface BundledApp {
  /** The folder, relative to the output root (e.g. `aws/production`). */
  readonly folder: string;
  /** The app writing into it. */
  readonly app: App;
}

/** The clouds and environments the bundled stacks render, in output order. */
export const BUNDLED_CLOUDS: readonly Cloud[] = ['aws', 'alibaba'];
export const BUNDLED_ENVIRONMENTS = [staging, production] as const;

/**
 * Builds every bundled app stack under `outRoot`. Chart ids name the output files, so treat them
 * as a contract: renaming one renames a file in `dist/`.
 */
export function createBundledApps(outRoot: string, options: { env?: NodeJS.ProcessEnv } = {}): BundledApp[] {
  const tag = releaseTag(options.env ?? process.env);
  const apps: BundledApp[] = [];
  for (const cloud of BUNDLED_CLOUDS) {
    for (const env of BUNDLED_ENVIRONMENTS) {
      const folder = `${cloud}/${env.name}`;
      const app = new App({ outdir: join(outRoot, folder), yamlOutputType: YamlOutputType.FILE_PER_CHART });
      new ShopStack(app, 'shop', { config: env, cloud: CLOUDS[cloud], releaseTag: tag });
      apps.push({ folder, app });
    }
  }
  return apps;
}
