import { App, YamlOutputType } from 'cdk8s';
import { production } from './config/production';
import { UserServiceStack } from './user-service-stack';

/**
 * Builds every bundled app stack into one cdk8s App writing to `outdir`. Chart ids name the
 * output files, so treat them as a contract: renaming one renames a file in `dist/`.
 */
export function createBundledApp(outdir: string): App {
  const app = new App({ outdir, yamlOutputType: YamlOutputType.FILE_PER_CHART });
  new UserServiceStack(app, `user-service-${production.name}`, production);
  return app;
}
