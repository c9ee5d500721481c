import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Chart, Testing } from 'cdk8s';
import { createBundledApps } from '../../apps/bundled-app';
import { production } from '../../apps/config/production';
import { CLOUDS } from '../../apps/config/shop-config';
import { addAcrCredentialHelper, addEdge, addEdgeClusterBaseline, addRegistryCredentials, PULL_SECRET_NAME } from '../../apps/parts/edge';
import { ShopStack } from '../../apps/shop-stack';
import { findSecretLeaks, LiteralSecret } from '../../lib/secrets';
import { SecureDeployment, WorkloadEnv } from '../../lib/workload';
import { expectRestricted } from '../support/pod-security';
import { manifestsOf, readTree } from '../support/tree';

const A = 'nginx.ingress.kubernetes.io/';
/** Stands for the real database password that lives only in Vault. */
const DB_PASSWORD = 'Pr0d-DB-p4ssw0rd!never-in-git';

function stack(cloud: 'aws' | 'alibaba', extra?: (chart: Chart) => void) {
  const app = Testing.app();
  const chart = new Chart(app, 'shop', { namespace: 'production', disableResourceNameHashes: true });
  const creds = addRegistryCredentials(chart, { cloud });
  const pullSecrets = creds.pullSecret ? [creds.pullSecret.secretName] : [];
  const svc = (name: string, image: string) => new SecureDeployment(chart, name, {
    image, imagePullSecrets: pullSecrets, ports: [{ name: 'http', number: 8080 }],
    env: name === 'user-service' ? { DATABASE_PASSWORD: WorkloadEnv.fromSecret('user-service-secrets', 'database-password') } : undefined,
  });
  const backends = {
    userService: svc('user-service', 'myregistry.com/user-service:v1.2.3'),
    orderService: svc('order-service', 'myregistry.com/order-service:v3.1.0'),
    paymentService: svc('payment-service', 'myregistry.com/payment-service:v1.8.2'),
    frontend: svc('frontend', 'myregistry.com/frontend:v2.4.0'),
  };
  const edge = addEdge(chart, backends);
  extra?.(chart);
  return { app, chart, creds, edge, manifests: Testing.synth(chart) };
}

const find = (manifests: any[], kind: string, name?: string) =>
  manifests.find((m) => m.kind === kind && (name === undefined || m.metadata.name === name));

describe('the production edge (aws)', () => {
  const { manifests, edge } = stack('aws');
  const ingress = find(manifests, 'Ingress');

  test('routes the documented paths and hosts to the four services by port name', () => {
    expect(ingress.spec.ingressClassName).toBe('nginx');
    expect(ingress.spec.rules.map((r: any) => [r.host, r.http.paths.map((p: any) => `${p.path} ${p.pathType} -> ${p.backend.service.name}:${p.backend.service.port.name}`)])).toEqual([
      ['api.company.com', ['/api/v1/users Prefix -> user-service:http', '/api/v1/orders Prefix -> order-service:http', '/api/v1/payments Prefix -> payment-service:http']],
      ['app.company.com', ['/ Prefix -> frontend:http']],
    ]);
  });

  test('has TLS for both hosts from letsencrypt-prod and forces HTTPS', () => {
    expect(ingress.spec.tls).toEqual([{ hosts: ['api.company.com'], secretName: 'api-company-com-tls' }, { hosts: ['app.company.com'], secretName: 'app-company-com-tls' }]);
    expect(ingress.metadata.annotations).toMatchObject({
      'cert-manager.io/cluster-issuer': 'letsencrypt-prod',
      [`${A}ssl-redirect`]: 'true',
      [`${A}force-ssl-redirect`]: 'true',
    });
  });

  test('uses the controller\'s real annotations for CORS, size, timeouts and rate limits', () => {
    expect(ingress.metadata.annotations).toMatchObject({
      [`${A}enable-cors`]: 'true',
      [`${A}cors-allow-origin`]: 'https://app.company.com',
      [`${A}cors-allow-credentials`]: 'true',
      [`${A}proxy-body-size`]: '10m',
      [`${A}proxy-connect-timeout`]: '5',
      [`${A}proxy-read-timeout`]: '60',
      [`${A}proxy-send-timeout`]: '60',
      [`${A}limit-rps`]: '10',
      [`${A}limit-burst-multiplier`]: '5',
      [`${A}limit-connections`]: '20',
      [`${A}custom-headers`]: 'production/shop-edge-response-headers',
    });
    const keys = Object.keys(ingress.metadata.annotations);
    expect(keys.filter((k) => /rate-limit|snippet|kubernetes.io\/ingress.class/.test(k))).toEqual([]);
    expect(edge.ingress.controllerConfig['global-allowed-response-headers']).toBe('Referrer-Policy,Strict-Transport-Security,X-Content-Type-Options,X-Frame-Options');
  });

  test('leaves the IngressClass and ClusterIssuer to the cluster baseline', () => {
    expect(manifests.filter((m) => ['IngressClass', 'ClusterIssuer'].includes(m.kind))).toEqual([]);
  });

  test('the cluster baseline emits the default IngressClass and the letsencrypt-prod ClusterIssuer without namespaces', () => {
    const cluster = new Chart(Testing.app(), 'cluster');
    addEdgeClusterBaseline(cluster);
    const clusterManifests = Testing.synth(cluster);
    const cls = find(clusterManifests, 'IngressClass');
    expect(cls).toEqual({ apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'nginx', annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } }, spec: { controller: 'k8s.io/ingress-nginx' } });
    const issuer = find(clusterManifests, 'ClusterIssuer');
    expect(issuer.metadata).toEqual({ name: 'letsencrypt-prod' });
    expect(issuer.spec.acme.solvers).toEqual([{ http01: { ingress: { ingressClassName: 'nginx' } } }]);
  });

  test('pulls images with regcred from an ExternalSecret on every Deployment, and leaves the default SA to the cluster', () => {
    const regcred = find(manifests, 'ExternalSecret', PULL_SECRET_NAME);
    expect(regcred.spec.target.template.type).toBe('kubernetes.io/dockerconfigjson');
    expect(regcred.spec.secretStoreRef).toEqual({ name: 'vault', kind: 'SecretStore' });
    expect(find(manifests, 'ServiceAccount', 'default')).toBeUndefined();
    for (const d of manifests.filter((m) => m.kind === 'Deployment')) {
      expect(d.spec.template.spec.imagePullSecrets).toEqual([{ name: 'regcred' }]);
    }
  });

  test('gets user-service-secrets from Vault through an ExternalSecret, with the key the Deployment reads', () => {
    const es = find(manifests, 'ExternalSecret', 'user-service-secrets');
    expect(es.spec.data).toEqual([{ secretKey: 'database-password', remoteRef: { key: 'production/user-service', property: 'database-password' } }]);
    expect(find(manifests, 'SecretStore', 'vault').spec.provider.vault).toMatchObject({ server: 'https://vault.company.com:8200', auth: { kubernetes: { role: 'production' } } });
  });

  test('emits no Secret object at all', () => {
    expect(manifests.filter((m) => m.kind === 'Secret')).toEqual([]);
  });
});

describe('the production edge is deterministic', () => {
  test('two synths give identical manifests', () => {
    for (const cloud of ['aws', 'alibaba'] as const) expect(JSON.stringify(stack(cloud).manifests)).toBe(JSON.stringify(stack(cloud).manifests));
  });
});

describe('the production edge (alibaba)', () => {
  const { manifests, creds } = stack('alibaba');

  test('adds no pull secret and no acr-configuration per namespace: the cluster baseline owns it', () => {
    expect(creds).toEqual({});
    expect(find(manifests, 'ConfigMap', 'acr-configuration')).toBeUndefined();
    expect(manifests.filter((m) => m.kind === 'Deployment').map((d) => d.spec.template.spec.imagePullSecrets)).toEqual([undefined, undefined, undefined, undefined]);
  });

  test('the cluster\'s one ACR credential helper watches every environment', () => {
    const chart = Testing.chart();
    addAcrCredentialHelper(chart, { watchNamespaces: ['staging', 'production'], serviceAccounts: ['default', 'frontend'], notifyEmail: 'ops@company.com' });
    const cm = find(Testing.synth(chart), 'ConfigMap', 'acr-configuration');
    expect(cm.metadata.namespace).toBe('kube-system');
    expect(cm.data).toEqual({
      'acr-registry-info': '- instanceId: ""\n  regionId: cn-hangzhou\n  domains: registry.cn-hangzhou.aliyuncs.com\n',
      'expiring-threshold': '15m',
      'notify-email': 'ops@company.com',
      'service-account': 'default,frontend',
      'watch-namespace': 'staging,production',
    });
  });
});

describe('secrets never leak', () => {
  function yamlOf(app: App): string {
    return app.charts.map((c) => c.toJson()).flat().map((o) => JSON.stringify(o)).join('\n');
  }

  test('a known secret value appears in no synthesized output of the edge stacks', () => {
    for (const cloud of ['aws', 'alibaba'] as const) {
      const { manifests, app } = stack(cloud);
      expect(findSecretLeaks(manifests, [DB_PASSWORD])).toEqual([]);
      expect(yamlOf(app)).not.toContain(DB_PASSWORD);
    }
  });

  test('a known secret value appears in no file of the bundled apps', () => {
    const outRoot = mkdtempSync(join(tmpdir(), 'guardrails-edge-'));
    for (const { app } of createBundledApps(outRoot, { env: {} })) app.synth();
    const tree = readTree(outRoot);
    expect(Object.keys(tree).length).toBeGreaterThan(0);
    for (const text of Object.values(tree)) expect(text).not.toContain(DB_PASSWORD);
    expect(findSecretLeaks(manifestsOf(tree), [DB_PASSWORD])).toEqual([]);
  });

  test('the check would catch the value if it were added to the stack (negative control)', () => {
    const { manifests } = stack('aws', (chart) => {
      new LiteralSecret(chart, 'oops', { data: { 'database-password': DB_PASSWORD }, allowPlaintextInManifests: { reason: 'test' } });
      new SecureDeployment(chart, 'leaky', { image: 'myregistry.com/leaky:v1', env: { DB: WorkloadEnv.value(DB_PASSWORD) } });
    });
    const leaks = findSecretLeaks(manifests, [DB_PASSWORD]);
    expect(leaks).toEqual([expect.stringMatching(/^Deployment 'production\/leaky' \(manifest #\d+\) contains known secret value #0/)]);
    expect(leaks.join()).not.toContain(DB_PASSWORD);
  });
});

describe('the edge wired into the ShopStack', () => {
  for (const cloud of ['aws', 'alibaba'] as const) {
    test(`builds on ${cloud}: every Deployment pulls correctly, pods stay restricted, nothing leaks`, () => {
      const app = Testing.app();
      const shop = new ShopStack(app, 'shop', { config: production, cloud: CLOUDS[cloud] });
      const manifests = Testing.synth(shop);
      const deployments = manifests.filter((m) => m.kind === 'Deployment');
      expect(deployments.map((d) => d.metadata.name).sort()).toEqual(['frontend', 'order-service', 'payment-service', 'user-service']);
      for (const d of deployments) {
        expect(d.spec.template.spec.imagePullSecrets).toEqual(cloud === 'aws' ? [{ name: 'regcred' }] : undefined);
      }
      expect(manifests.filter((m) => m.kind === 'Ingress').map((i) => i.spec.rules.map((r: any) => r.host))).toEqual([['api.company.com', 'app.company.com']]);
      expect(find(manifests, 'ExternalSecret', 'user-service-secrets')).toBeDefined();
      expect(findSecretLeaks(manifests, [DB_PASSWORD])).toEqual([]);
      expectRestricted(manifests);
    });
  }
});
