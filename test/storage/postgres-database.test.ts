import { Chart, Size, Testing } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { EncryptedStorageClass, PostgresDatabase, PostgresDatabaseProps, StorageClassBase, StorageClassPreset } from '../../lib/storage';
import { FakeWorkload } from '../support/fake-workload';
import { expectRestricted } from '../support/pod-security';

const CREDENTIALS = { secretName: 'postgres-credentials' };

function build(props: Partial<PostgresDatabaseProps> = {}) {
  const chart = new Chart(Testing.app(), 'data', { namespace: 'production' });
  const db = new PostgresDatabase(chart, 'postgres', { credentials: CREDENTIALS, ...props });
  const manifests = Testing.synth(chart);
  const of = (kind: string, name?: string) => {
    const found = manifests.filter((m) => m.kind === kind && (name === undefined || m.metadata.name === name));
    expect(found).toHaveLength(1);
    return found[0];
  };
  return { db, manifests, of, sts: of('StatefulSet'), container: of('StatefulSet').spec.template.spec.containers[0] };
}

describe('PostgresDatabase', () => {
  test('passes Pod Security Standards restricted', () => {
    expectRestricted(build().manifests);
  });

  test('runs the pinned official image as uid 999 with a read-only root and emptyDir for the paths it writes', () => {
    const { sts, container } = build();
    const pod = sts.spec.template.spec;
    expect(container.image).toBe('postgres:15.17');
    expect(container.imagePullPolicy).toBe('Always');
    expect(pod.securityContext).toEqual({
      runAsNonRoot: true, runAsUser: 999, runAsGroup: 999, fsGroup: 999, fsGroupChangePolicy: 'OnRootMismatch', seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(container.securityContext).toEqual({
      allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, runAsNonRoot: true, runAsUser: 999, runAsGroup: 999,
      capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(container.volumeMounts).toEqual([
      { name: 'data', mountPath: '/var/lib/postgresql/data' },
      { name: 'run', mountPath: '/var/run/postgresql' },
      { name: 'tmp', mountPath: '/tmp' },
      { name: 'shm', mountPath: '/dev/shm' },
      { name: 'initdb', mountPath: '/docker-entrypoint-initdb.d', readOnly: true },
    ]);
    expect(pod.volumes.map((v: any) => v.name)).toEqual(['run', 'tmp', 'shm', 'initdb']);
    expect(pod.volumes[2]).toEqual({ name: 'shm', emptyDir: { medium: 'Memory', sizeLimit: '256Mi' } });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.enableServiceLinks).toBe(false);
    expect(pod.serviceAccountName).toBe('postgres');
  });

  test('keeps PGDATA in a subdirectory of the mount and reads credentials only from the Secret', () => {
    const { container } = build();
    expect(container.env).toEqual([
      { name: 'POSTGRES_USER', valueFrom: { secretKeyRef: { name: 'postgres-credentials', key: 'username' } } },
      { name: 'POSTGRES_PASSWORD', valueFrom: { secretKeyRef: { name: 'postgres-credentials', key: 'password' } } },
      { name: 'POSTGRES_DB', value: 'app' },
      { name: 'PGDATA', value: '/var/lib/postgresql/data/pgdata' },
    ]);
  });

  test('uses other secret keys when told', () => {
    const { container } = build({ credentials: { secretName: 's', usernameKey: 'user', passwordKey: 'pass' } });
    expect(container.env[0].valueFrom.secretKeyRef).toEqual({ name: 's', key: 'user' });
    expect(container.env[1].valueFrom.secretKeyRef).toEqual({ name: 's', key: 'pass' });
  });

  test('passes the documented server flags with defaults, pg_stat_statements preloaded', () => {
    const { container, db } = build();
    expect(container.args).toEqual([
      '-c', 'shared_buffers=512MB', '-c', 'max_connections=200', '-c', 'effective_cache_size=1GB', '-c', 'work_mem=4MB',
      '-c', 'maintenance_work_mem=64MB', '-c', 'shared_preload_libraries=pg_stat_statements', '-c', 'pg_stat_statements.track=all',
    ]);
    expect(db.serverFlags.max_connections).toBe('200');
  });

  test('creates the pg_stat_statements extension on first start from a ConfigMap', () => {
    const { of } = build();
    expect(of('ConfigMap').data).toEqual({ '10-pg-stat-statements.sql': 'CREATE EXTENSION IF NOT EXISTS pg_stat_statements;\n' });
    expect(of('ConfigMap').metadata.name).toBe('postgres-initdb');
  });

  test('takes tuned settings and drops pg_stat_statements when asked', () => {
    const { container, manifests } = build({
      settings: {
        sharedBuffers: Size.mebibytes(640), maxConnections: 50, effectiveCacheSize: Size.kibibytes(1536), workMem: Size.kibibytes(100),
        maintenanceWorkMem: Size.gibibytes(1), pgStatStatements: false,
      },
    });
    expect(container.args).toEqual(['-c', 'shared_buffers=640MB', '-c', 'max_connections=50', '-c', 'effective_cache_size=1536kB', '-c', 'work_mem=100kB', '-c', 'maintenance_work_mem=1GB']);
    expect(manifests.filter((m) => m.kind === 'ConfigMap')).toHaveLength(0);
    expect(container.volumeMounts.map((m: any) => m.name)).not.toContain('initdb');
  });

  test('probes with pg_isready on startup and readiness, and TCP for liveness', () => {
    const { container } = build();
    const exec = { command: ['pg_isready', '--host=127.0.0.1', '--port=5432', '--timeout=4'] };
    expect(container.startupProbe).toEqual({ exec, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 30 });
    expect(container.readinessProbe).toEqual({ exec, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 });
    // liveness differs from readiness: a busy server is taken out of the Service, not restarted
    expect(container.livenessProbe).toEqual({ tcpSocket: { port: 'postgres' }, periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 6 });
  });

  test('sets requests and limits (memory request = limit)', () => {
    expect(build().container.resources).toEqual({
      requests: { 'cpu': '500m', 'ephemeral-storage': '64Mi', 'memory': '2Gi' },
      // 1232Mi = the run (16Mi) and tmp (1Gi) emptyDirs + 192Mi for logs and the writable layer; shm is memory-backed
      limits: { 'cpu': '2', 'ephemeral-storage': '1232Mi', 'memory': '2Gi' },
    });
    const resources = { cpuRequest: Cpu.millis(250), cpuLimit: Cpu.millis(500), memoryRequest: Size.gibibytes(1), memoryLimit: Size.gibibytes(4) };
    expect(build({ resources }).container.resources)
      .toEqual({ requests: { 'cpu': '250m', 'ephemeral-storage': '64Mi', 'memory': '1Gi' }, limits: { 'cpu': '500m', 'ephemeral-storage': '1232Mi', 'memory': '4Gi' } });
  });

  test('is a one-replica StatefulSet with a claim template on the chosen class, retained on delete', () => {
    const chart = new Chart(Testing.app(), 'data', { namespace: 'production' });
    const cluster = new Chart(chart.node.scope as any, 'cluster');
    const fast = new EncryptedStorageClass(cluster, 'fast-ssd', { preset: StorageClassPreset.awsGp3() });
    new PostgresDatabase(chart, 'postgres', { credentials: CREDENTIALS, storageClass: fast, storageSize: Size.gibibytes(50) });
    const sts = Testing.synth(chart).find((m) => m.kind === 'StatefulSet');
    expect(sts.metadata.namespace).toBe('production');
    expect(sts.spec.replicas).toBe(1);
    expect(sts.spec.serviceName).toBe('postgres-headless');
    expect(sts.spec.selector).toEqual({ matchLabels: { app: 'postgres' } });
    expect(sts.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Retain', whenScaled: 'Retain' });
    expect(sts.spec.volumeClaimTemplates).toEqual([{
      metadata: { name: 'data', labels: { app: 'postgres' } },
      spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'fast-ssd', resources: { requests: { storage: '50Gi' } } },
    }]);
  });

  test('leaves storageClassName unset without a class (the cluster default applies)', () => {
    expect(build().sts.spec.volumeClaimTemplates[0].spec.storageClassName).toBeUndefined();
  });

  test('creates a headless Service, a client Service, a ServiceAccount without token and a PodDisruptionBudget', () => {
    const { of } = build();
    expect(of('Service', 'postgres-headless').spec).toEqual({ clusterIP: 'None', selector: { app: 'postgres' }, ports: [{ name: 'postgres', port: 5432, targetPort: 'postgres', protocol: 'TCP' }] });
    expect(of('Service', 'postgres').spec).toEqual({ type: 'ClusterIP', selector: { app: 'postgres' }, ports: [{ name: 'postgres', port: 5432, targetPort: 'postgres', protocol: 'TCP' }] });
    expect(of('ServiceAccount').automountServiceAccountToken).toBe(false);
    expect(of('PodDisruptionBudget').spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: { app: 'postgres' } }, unhealthyPodEvictionPolicy: 'AlwaysAllow' });
  });

  test('labels every object with the documented app/version/component labels', () => {
    const { manifests, sts } = build({ partOf: 'shop' });
    for (const m of manifests) expect(m.metadata.labels).toMatchObject({ 'app': 'postgres', 'version': '15.17', 'component': 'database', 'app.kubernetes.io/part-of': 'shop' });
    expect(sts.spec.template.metadata.labels).toMatchObject({ app: 'postgres', version: '15.17', component: 'database' });
  });

  test('implements IWorkload and records its clients', () => {
    const chart = new Chart(Testing.app(), 'data', { namespace: 'production' });
    const api = new FakeWorkload(chart, 'user-service');
    const db = new PostgresDatabase(chart, 'postgres', { credentials: CREDENTIALS, clients: [api] });
    expect(db.name).toBe('postgres');
    expect(db.namespace).toBe('production');
    expect(db.selectorLabels).toEqual({ app: 'postgres' });
    expect(db.ports).toEqual([{ name: 'postgres', number: 5432, protocol: 'TCP' }]);
    expect(db.serviceName).toBe('postgres');
    expect(db.serviceAccountName).toBe('postgres');
    expect(db.findPort('postgres')?.number).toBe(5432);
    expect(db.findPort(5432)?.name).toBe('postgres');
    expect(db.findPort(80)).toBeUndefined();
    expect(db.clients).toEqual([api]);
    const admin = new FakeWorkload(chart, 'admin');
    expect(db.addClient(admin)).toBe(admin);
    expect(db.clients.map((c) => c.name)).toEqual(['user-service', 'admin']);
  });

  test('output is byte-identical across synths', () => {
    expect(JSON.stringify(build().manifests)).toBe(JSON.stringify(build().manifests));
  });
});

describe('PostgresDatabase errors', () => {
  test.each([
    ['an unpinned image', { image: 'postgres' }, /PostgresDatabase 'data\/postgres': 'image' 'postgres' is not pinned: it has no tag or digest, so every node may run a different build; add a version tag or a digest \(e.g. 'postgres:15.17'\)\./],
    ['the latest tag', { image: 'postgres:latest' }, /'image' 'postgres:latest' is not pinned: the 'latest' tag moves under running pods; use a version tag or a digest/],
    ['a malformed image', { image: 'Postgres:15' }, /'image' 'Postgres:15' is not a valid image reference: use '\[registry\/\]repository:tag' or '\[registry\/\]repository@sha256:<digest>' \(e.g. 'postgres:15.17'\)\./],
    ['a literal password', { password: 'hunter2' }, /'password' is not a prop: credentials come only from a Secret/],
    ['no secret name', { credentials: { secretName: '' } }, /'credentials.secretName' is missing/],
    ['a bad database name', { database: 'User-DB' }, /'database' 'User-DB' is not a plain PostgreSQL identifier/],
    ['max_connections of 0', { settings: { maxConnections: 0 } }, /'settings.maxConnections' 0 is not allowed: use a whole number from 1 to 262143/],
    ['max_connections too high', { settings: { maxConnections: 262144 } }, /'settings.maxConnections' 262144 is not allowed/],
    ['shared_buffers below 128kB', { settings: { sharedBuffers: Size.kibibytes(64) } }, /'settings.sharedBuffers' \(64Ki\) is outside PostgreSQL's range: use 128kB to 2147483647kB/],
    ['shared_buffers at the memory limit', { settings: { sharedBuffers: Size.gibibytes(2) } }, /'settings.sharedBuffers' \(2Gi\) must be below the memory limit \(2Gi\): Postgres would be OOM-killed/],
    ['work_mem below 64kB', { settings: { workMem: Size.kibibytes(32) } }, /'settings.workMem' \(32Ki\) is outside PostgreSQL's range: use 64kB/],
    ['maintenance_work_mem below 1MB', { settings: { maintenanceWorkMem: Size.kibibytes(512) } }, /'settings.maintenanceWorkMem' \(512Ki\) is outside PostgreSQL's range: use 1024kB/],
    ['fractional work_mem', { settings: { workMem: Size.kibibytes(100.5) } }, /'settings.workMem' \(100.5Ki\) is not a whole number of KiB/],
    ['a cpu limit below the request', { resources: { cpuRequest: Cpu.units(2), cpuLimit: Cpu.millis(500) } }, /'resources.cpuLimit' \(500m\) must be at least 'resources.cpuRequest' \(2\)/],
    ['a memory limit below the request', { resources: { memoryRequest: Size.gibibytes(4) } }, /'resources.memoryLimit' \(2Gi\) must be at least 'resources.memoryRequest' \(4Gi\)/],
    ['a bad port', { port: 70000 }, /'port' 70000 is not a valid port number/],
    ['a bad name', { name: 'Postgres_DB' }, /name 'Postgres_DB' is not a valid DNS-1123 label/],
    ['a fractional storage size', { storageSize: Size.mebibytes(1536) }, /'storageSize' \(1536Mi\) must be a whole number of GiB, at least 1/],
  ])('throws on %s', (_what, props, message) => {
    expect(() => build(props as Partial<PostgresDatabaseProps>)).toThrow(message);
  });

  test('throws when the volume is too small for the class documented limits', () => {
    const app = Testing.app();
    const cluster = new Chart(app, 'cluster');
    const chart = new Chart(app, 'data', { namespace: 'production' });
    const io2 = new EncryptedStorageClass(cluster, 'high-iops-ssd', { preset: StorageClassPreset.awsIo2({ iops: 10000 }) });
    expect(() => new PostgresDatabase(chart, 'postgres', { credentials: CREDENTIALS, storageClass: io2, storageSize: Size.gibibytes(8) }))
      .toThrow(/PostgresDatabase 'data\/postgres': 'storageSize' \(8Gi\) does not fit the class 'high-iops-ssd': 10000 IOPS needs a io2 volume of at least 10 GiB \(at most 1000 IOPS per GiB\), but 8 GiB is requested; change 'storageSize' or the class/);
  });

  test('accepts an existing class by name', () => {
    const chart = new Chart(Testing.app(), 'data', { namespace: 'production' });
    new PostgresDatabase(chart, 'postgres', { credentials: CREDENTIALS, storageClass: StorageClassBase.fromName(chart, 'gp3', 'gp3') });
    expect(Testing.synth(chart).find((m) => m.kind === 'StatefulSet').spec.volumeClaimTemplates[0].spec.storageClassName).toBe('gp3');
  });

  test('accepts an image pinned by digest', () => {
    const digest = 'sha256:' + 'a'.repeat(64);
    const { container, sts } = build({ image: `postgres@${digest}` });
    expect(container.image).toBe(`postgres@${digest}`);
    expect(sts.metadata.labels.version).toBe('sha256-aaaaaaaaaaaa');
  });
});

describe('PostgresDatabase priority', () => {
  test('sets the PriorityClass it is given', () => {
    expect(build({ priorityClassName: 'production-critical' }).sts.spec.template.spec.priorityClassName).toBe('production-critical');
  });

  test('throws on an invalid PriorityClass name', () => {
    expect(() => build({ priorityClassName: 'Critical_Class' })).toThrow(/PostgresDatabase '.*': 'priorityClassName' 'Critical_Class' is not a valid DNS-1123 subdomain/);
  });
});

describe('PostgresDatabase composition (issue 14)', () => {
  test('runs init SQL after the pg_stat_statements script, from the init ConfigMap', () => {
    // Document 004's compose stack mounts an init.sql into docker-entrypoint-initdb.d.
    const { manifests: objects } = build({ initSql: { '20-schema.sql': 'CREATE TABLE users (id bigserial PRIMARY KEY);\n' } });
    const configMap = objects.find((o: any) => o.kind === 'ConfigMap');
    expect(configMap.data).toEqual({
      '10-pg-stat-statements.sql': 'CREATE EXTENSION IF NOT EXISTS pg_stat_statements;\n',
      '20-schema.sql': 'CREATE TABLE users (id bigserial PRIMARY KEY);\n',
    });
    const noStats = build({ initSql: { 'init.sql': 'SELECT 1;\n' }, settings: { pgStatStatements: false } });
    expect(noStats.manifests.find((o: any) => o.kind === 'ConfigMap').data).toEqual({ 'init.sql': 'SELECT 1;\n' });
    expect(() => build({ initSql: { 'schema.txt': 'x' } })).toThrow(/'initSql' file name 'schema.txt' is not a script name the image runs/);
    expect(() => build({ initSql: { '10-pg-stat-statements.sql': 'x' } })).toThrow(/is the library's own pg_stat_statements script/);
  });

  test('takes pull secrets, a node selector and tolerations', () => {
    const { manifests: objects, db } = build({
      imagePullSecrets: ['mirror-cred'],
      nodeSelector: { 'node-pool': 'data' },
      tolerations: [{ key: 'dedicated', value: 'data', effect: 'NoSchedule' }],
    });
    db.addImagePullSecrets('regcred');
    const sts = Testing.synth(Chart.of(db)).find((o: any) => o.kind === 'StatefulSet');
    expect(sts.spec.template.spec.imagePullSecrets).toEqual([{ name: 'mirror-cred' }, { name: 'regcred' }]);
    const pod = objects.find((o: any) => o.kind === 'StatefulSet').spec.template.spec;
    expect(pod.nodeSelector).toEqual({ 'node-pool': 'data' });
    expect(pod.tolerations).toEqual([{ effect: 'NoSchedule', key: 'dedicated', operator: 'Equal', value: 'data' }]);
    expect(() => build({ tolerations: [{ operator: 'Exists', value: 'x' }] })).toThrow(/has operator 'Exists' and a value/);
    expect(() => build({ nodeSelector: { 'bad key!': 'x' } })).toThrow(/nodeSelector/);
  });
});
