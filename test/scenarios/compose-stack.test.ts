import { App, Chart, Size } from 'cdk8s';
import { RestrictedNamespace } from '../../lib/namespace';
import { Connectivity } from '../../lib/network';
import { SecureIngress } from '../../lib/ingress';
import { PostgresDatabase, RedisCache } from '../../lib/storage';
import { SecureDeployment, WorkloadEnv } from '../../lib/workload';
import { checkedSynth } from './checked-synth';

/**
 * Document 004's compose stack moved into Kubernetes: the app (8080) with Postgres 15 (an init SQL
 * script) and Redis 7 (password, AOF), and nginx in front (80 -> 8080: the unprivileged image
 * listens on 8080, the Service keeps port 80), with its configuration mounted and a cache volume.
 */
function composeStack(app: App, options: { openDataFlows: boolean }) {
  const chart = new Chart(app, 'compose', { namespace: 'shop', disableResourceNameHashes: true });
  new RestrictedNamespace(chart, 'namespace', { name: 'shop' });
  const myapp = new SecureDeployment(chart, 'myapp', {
    image: 'myregistry.com/myapp:2.3.1',
    env: {
      DATABASE_PASSWORD: WorkloadEnv.fromSecret('postgres-credentials', 'password'),
      REDIS_PASSWORD: WorkloadEnv.fromSecret('redis-credentials', 'password'),
    },
    // 'redis-url' is no env name: it stays in the ConfigMap, exported only as the listed keys.
    config: { data: { DATABASE_HOST: 'postgres', 'redis-url': 'redis://redis:6379' }, envKeys: ['DATABASE_HOST'] },
    imagePullSecrets: ['regcred'],
  });
  const postgres = new PostgresDatabase(chart, 'postgres', {
    credentials: { secretName: 'postgres-credentials' },
    database: 'myapp',
    image: 'postgres:15.17',
    initSql: { '20-init.sql': 'CREATE TABLE IF NOT EXISTS visits (id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now());\n' },
    clients: [myapp],
  });
  const redis = new RedisCache(chart, 'redis', { credentials: { secretName: 'redis-credentials' }, image: 'redis:7.2.11', clients: [myapp] });
  const nginx = new SecureDeployment(chart, 'nginx', {
    image: 'nginxinc/nginx-unprivileged:1.25.5-alpine',
    ports: [{ name: 'http', number: 8080, servicePort: 80 }],
    config: { files: { 'default.conf': 'server {\n  listen 8080;\n  location / { proxy_pass http://myapp:8080; }\n}\n' }, mountPath: '/etc/nginx/conf.d' },
    volumes: [{ name: 'cache', mountPath: '/var/cache/nginx', emptyDir: { sizeLimit: Size.mebibytes(128) } }],
    probes: {},
  });
  nginx.allowTo(myapp, { port: 'http' });
  if (options.openDataFlows) {
    myapp.allowTo(postgres).allowTo(redis);
  }
  new SecureIngress(chart, 'edge', { routes: [{ host: 'shop.company.com', backend: nginx }] });
}

describe("scenario: document 004's compose stack", () => {
  const checks = { pullPaths: { privateRegistries: ['myregistry.com'] } };

  test('synthesizes with the wiring check on, and the flows are exactly the compose links', () => {
    const { manifests } = checkedSynth((app) => composeStack(app, { openDataFlows: true }), checks);
    const service = manifests.find((o) => o.kind === 'Service' && o.metadata.name === 'nginx');
    expect(service.spec.ports).toEqual([{ name: 'http', port: 80, protocol: 'TCP', targetPort: 'http' }]);
    const initdb = manifests.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'postgres-initdb');
    expect(Object.keys(initdb.data)).toEqual(['10-pg-stat-statements.sql', '20-init.sql']);
    const myappEnv = manifests.find((o) => o.kind === 'Deployment' && o.metadata.name === 'myapp').spec.template.spec.containers[0].env.map((e: any) => e.name);
    expect(myappEnv).toEqual(['DATABASE_PASSWORD', 'REDIS_PASSWORD', 'DATABASE_HOST']);
    const flows = new Connectivity(manifests).allowedFlows().filter((f) => !f.includes('kube-system'));
    expect(flows).toEqual([
      'shop/myapp -> shop/postgres:5432/TCP',
      'shop/myapp -> shop/redis:6379/TCP',
      'shop/nginx -> shop/myapp:8080/TCP',
    ]);
  });

  test('declared clients without their flows fail the synth with both ends, the port and the fix', () => {
    expect(() => checkedSynth((app) => composeStack(app, { openDataFlows: false }), checks)).toThrow(
      /postgres lists myapp as a client, so pod shop\/myapp must reach pod shop\/postgres on 5432\/TCP, but no NetworkPolicy allows it\. Fix: call postgres\.allowFrom\(myapp/);
  });
});
