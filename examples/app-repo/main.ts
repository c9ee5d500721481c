import { App, Chart } from 'cdk8s';
import {
  GuardrailsApp, PolicyPack, RestrictedNamespace, SecureDeployment, WorkloadEnv, policyCheckHook,
} from 'cdk8s-guardrails';
import { Construct } from 'constructs';

/** The shop in one namespace: a frontend and an API, and exactly the traffic between them. */
export class ShopChart extends Chart {
  constructor(scope: Construct, id: string, namespace: string) {
    super(scope, id, { namespace });
    new RestrictedNamespace(this, 'namespace', { name: namespace });
    const api = new SecureDeployment(this, 'api', {
      image: 'registry.example.com/shop/api:1.4.2',
      ports: [{ name: 'http', number: 8080 }],
      env: { DATABASE_PASSWORD: WorkloadEnv.fromSecret('api-secrets', 'database-password') },
      autoscaling: { minReplicas: 2, maxReplicas: 6 },
    });
    const frontend = new SecureDeployment(this, 'frontend', {
      image: 'registry.example.com/shop/frontend:2.0.1',
      ports: [{ name: 'http', number: 8080 }],
    });
    api.allowFrom(frontend, { port: 'http' });
  }
}

/** The policy pack; cdk8s.yaml gives the validation plugin the same rules. */
export const POLICIES = new PolicyPack({ rules: { 'allowed-registries': { parameters: { repos: ['registry.example.com/'] } } } });

/** The app: the policy pack checks every object before any file is written. */
export function buildApp(outdir = 'dist'): App {
  const app = new GuardrailsApp({ outdir, beforeWrite: [policyCheckHook(POLICIES)] });
  new ShopChart(app, 'shop', 'shop');
  return app;
}

if (require.main === module) buildApp().synth();
