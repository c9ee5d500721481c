import { App, YamlOutputType } from 'cdk8s';
import { production } from './config/production';
import { UserServiceStack } from './user-service-stack';

// One chart per environment; chart ids feed file names, so treat them as a contract.
const app = new App({ outdir: process.env.CDK8S_OUTDIR ?? 'dist', yamlOutputType: YamlOutputType.FILE_PER_CHART });
new UserServiceStack(app, `user-service-${production.name}`, production);
app.synth();
