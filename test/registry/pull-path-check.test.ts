import { App, Chart, Testing } from 'cdk8s';
import { AcrCredentialHelper, checkPullPaths, DefaultServiceAccount, findMissingPullPaths, pullPathCheckHook, RegistryPullSecret } from '../../lib/registry';
import { PostgresDatabase } from '../../lib/storage';
import { resolveApp } from '../../lib/synth';
import { SecureDeployment } from '../../lib/workload';

const ACR = 'registry.cn-hangzhou.aliyuncs.com/shop';
const PRIVATE = { privateRegistries: ['myregistry.com', ACR] };

function objectsOf(chart: Chart) {
  return Testing.synth(chart).map((manifest: any) => ({ manifest }));
}

function chartWith(image: string) {
  const chart = new Chart(Testing.app(), 'shop', { namespace: 'production' });
  const api = new SecureDeployment(chart, 'api', { image });
  return { chart, api };
}

describe('pull paths (issue 14 problem 1)', () => {
  test('ACK + ACR as documented: the helper on `default` does not reach a SecureDeployment, which runs as its own ServiceAccount', () => {
    const { chart } = chartWith(`${ACR}/api:v1.0.0`);
    new AcrCredentialHelper(new Chart(chart.node.root as App, 'cluster'), 'acr', { watchNamespaces: ['production'] });
    const cluster = Testing.synth(Chart.of((chart.node.root as App).node.findChild('cluster')));
    const findings = findMissingPullPaths(objectsOf(chart), { ...PRIVATE, clusterObjects: () => cluster });
    expect(findings).toHaveLength(1);
    expect(findings[0].message).toBe(
      "Deployment production/api: container \"api\" pulls \"registry.cn-hangzhou.aliyuncs.com/shop/api:v1.0.0\" from the private registry \"registry.cn-hangzhou.aliyuncs.com/shop\", "
      + "but no pull path reaches the pod: it names no imagePullSecrets, its ServiceAccount \"api\" carries none, and no ACR credential helper serves ServiceAccount \"api\" in namespace \"production\" for \"registry.cn-hangzhou.aliyuncs.com\". "
      + "Fix: pass the pull secret in the workload's 'imagePullSecrets' (or list the workload in DefaultServiceAccount 'workloads'), or list the workload in AcrCredentialHelper 'workloads'.");
  });

  test('AcrCredentialHelper workloads: serves their ServiceAccounts in their namespaces', () => {
    const { chart, api } = chartWith(`${ACR}/api:v1.0.0`);
    const helper = new AcrCredentialHelper(chart, 'acr', { workloads: [api] });
    expect(helper.data['service-account']).toBe('api');
    expect(helper.data['watch-namespace']).toBe('production');
    expect(findMissingPullPaths(objectsOf(chart), PRIVATE)).toEqual([]);
  });

  test('an ACR helper for other domains does not count', () => {
    const { chart, api } = chartWith(`${ACR}/api:v1.0.0`);
    new AcrCredentialHelper(chart, 'acr', { workloads: [api], registries: [{ instanceId: 'cri-abc123', domains: ['company-registry.cn-hangzhou.cr.aliyuncs.com'] }] });
    expect(findMissingPullPaths(objectsOf(chart), PRIVATE)).toHaveLength(1);
  });

  test('DefaultServiceAccount workloads: the pull secret reaches the workloads that run as their own account', () => {
    const { chart, api } = chartWith('myregistry.com/api:v1.0.0');
    const db = new PostgresDatabase(chart, 'db', { credentials: { secretName: 'pg' }, image: 'myregistry.com/mirror/postgres:15.17' });
    const regcred = RegistryPullSecret.fromName(chart, 'regcred-ref', 'regcred', 'production');
    expect(findMissingPullPaths(objectsOf(chart), PRIVATE).map((f) => f.pod)).toEqual(['Deployment production/api', 'StatefulSet production/db']);
    new DefaultServiceAccount(chart, 'default-sa', { imagePullSecrets: [regcred], workloads: [api, db] });
    expect(findMissingPullPaths(objectsOf(chart), PRIVATE)).toEqual([]);
    expect(api.imagePullSecretNames).toEqual(['regcred']);
  });

  test('public images and pods with imagePullSecrets pass; a foreign namespace secret is refused', () => {
    const { chart } = chartWith('nginx:1.25.5');
    expect(findMissingPullPaths(objectsOf(chart), PRIVATE)).toEqual([]);
    const other = chartWith('myregistry.com/api:v1.0.0');
    const foreign = RegistryPullSecret.fromName(other.chart, 'foreign', 'regcred', 'staging');
    expect(() => other.api.addImagePullSecrets(foreign)).toThrow("SecureDeployment 'shop/api': pull secret 'regcred' is in namespace 'staging', but the pods run in 'production': pods can only use pull secrets of their own namespace; create the secret in 'production'.");
    other.api.addImagePullSecrets('regcred');
    expect(findMissingPullPaths(objectsOf(other.chart), PRIVATE)).toEqual([]);
  });

  test('as a beforeWrite hook it fails the synth with the pod, the image and the fix', () => {
    const app = new App({ outdir: 'unused' });
    const chart = new Chart(app, 'shop', { namespace: 'production' });
    new SecureDeployment(chart, 'api', { image: 'myregistry.com/api:v1.0.0' });
    const { charts } = resolveApp(app);
    expect(() => pullPathCheckHook(PRIVATE)(charts)).toThrow(/^Pull-path check: 1 pod\(s\) would fail with ImagePullBackOff:\n- Deployment production\/api \(shop\/api\/Deployment\/Resource\): container "api" pulls "myregistry.com\/api:v1.0.0"/);
    expect(() => checkPullPaths([], PRIVATE)).not.toThrow();
  });
});

describe('covering workloads: bad input', () => {
  test('a workload of another namespace, or of none, is refused with the path and the fix', () => {
    const app = Testing.app();
    const production = new Chart(app, 'production', { namespace: 'production' });
    const staging = new Chart(app, 'staging', { namespace: 'staging' });
    const api = new SecureDeployment(staging, 'api', { image: 'myregistry.com/api:v1.0.0' });
    const regcred = RegistryPullSecret.fromName(production, 'regcred', 'regcred', 'production');
    expect(() => new DefaultServiceAccount(production, 'sa', { imagePullSecrets: [regcred], workloads: [api] })).toThrow(
      "DefaultServiceAccount 'production/sa': workload 'api' runs in namespace 'staging', not 'production': its pods cannot use this namespace's pull secrets; declare a DefaultServiceAccount in 'staging' for it.");
    const bare = new SecureDeployment(new Chart(app, 'bare'), 'worker', { image: 'myregistry.com/worker:v1.0.0' });
    expect(() => new AcrCredentialHelper(production, 'acr', { workloads: [bare] })).toThrow(
      "AcrCredentialHelper 'production/acr': workload 'worker' has no namespace, so the helper cannot watch it: set the namespace of its chart.");
  });
});
