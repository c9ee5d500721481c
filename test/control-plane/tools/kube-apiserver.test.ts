import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Chart, Testing } from 'cdk8s';
import { parseAllDocuments, stringify } from 'yaml';
import { EncryptionAtRest, EncryptionKeySource, EncryptionProvider, renderEncryptionConfiguration } from '../../../lib/cluster';
import { TestApiServer, startTestApiServer } from './api-server';
import { describeWithBinaries, kubeBinary } from './binaries';

const API_SERVER = kubeBinary('kube-apiserver');
const FILES = join(__dirname, '..', '..', '..', 'dist', 'aws', 'control-plane');
const SECRET_VALUE = `s3cr3t-${randomBytes(12).toString('hex')}`;

/** The API server flags of the committed kubeadm-init.yaml. */
function emittedApiServerArgs(): Record<string, string> {
  const docs = parseAllDocuments(readFileSync(join(FILES, 'kubeadm-init.yaml'), 'utf8')).map((d) => d.toJSON());
  return docs.find((d) => d.kind === 'ClusterConfiguration').apiServer.extraArgs;
}

/** A secretbox EncryptionConfiguration from the library, rendered with a fresh random key. */
function renderedEncryptionConfiguration(): string {
  const chart = new Chart(Testing.app(), 'files');
  new EncryptionAtRest(chart, 'encryption', { providers: [EncryptionProvider.secretbox('key1', EncryptionKeySource.fromEnvironment('K8S_SECRETBOX_KEY')), EncryptionProvider.identity()] });
  return renderEncryptionConfiguration(stringify(Testing.synth(chart)[0]), { env: { K8S_SECRETBOX_KEY: randomBytes(32).toString('base64') } });
}

describeWithBinaries([API_SERVER])('kube-apiserver v1.28.15 with the emitted API server files and flags', () => {
  let server: TestApiServer;
  let files: string;
  let auditLog: string;

  beforeAll(async () => {
    files = mkdtempSync(join(tmpdir(), 'control-plane-files-'));
    mkdirSync(join(files, 'audit'));
    auditLog = join(files, 'audit', 'audit.log');
    writeFileSync(join(files, 'audit-policy.yaml'), readFileSync(join(FILES, 'audit-policy.yaml')));
    writeFileSync(join(files, 'admission-configuration.yaml'), readFileSync(join(FILES, 'admission-configuration.yaml')));
    writeFileSync(join(files, 'encryption-configuration.yaml'), renderedEncryptionConfiguration());
    // Any CA will do for --kubelet-certificate-authority: no kubelet is contacted.
    const ca = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=test-ca', '-days', '1',
      '-keyout', join(files, 'ca.key'), '-out', join(files, 'ca.crt')], { encoding: 'utf8' });
    if (ca.status !== 0) throw new Error(`openssl req failed: ${ca.stderr}`);
    // Every flag of kubeadm-init.yaml, with the node paths mapped into the temp folder.
    const paths: Record<string, string> = {
      '/etc/kubernetes/audit-policy.yaml': join(files, 'audit-policy.yaml'),
      '/etc/kubernetes/admission-configuration.yaml': join(files, 'admission-configuration.yaml'),
      '/etc/kubernetes/encryption-configuration.yaml': join(files, 'encryption-configuration.yaml'),
      '/etc/kubernetes/pki/ca.crt': join(files, 'ca.crt'),
      '/var/log/kubernetes/audit/audit.log': auditLog,
    };
    const extraArgs = Object.entries(emittedApiServerArgs()).map(([k, v]) => `--${k}=${paths[v] ?? v}`);
    expect(extraArgs.filter((a) => a.includes('/etc/kubernetes') || a.includes('/var/log'))).toEqual([]);
    server = await startTestApiServer({ apiServer: API_SERVER, extraArgs });
  }, 150_000);

  afterAll(async () => {
    await server?.stop();
    if (files !== undefined) rmSync(files, { recursive: true, force: true });
  });

  test('a Secret written through the API is stored encrypted in etcd (secretbox, key1)', () => {
    const created = server.kubectl(['create', 'secret', 'generic', 'db', '-n', 'default', `--from-literal=password=${SECRET_VALUE}`]);
    expect(created.stderr).toBe('');
    expect(server.kubectl(['get', 'secret', 'db', '-n', 'default', '-o', 'jsonpath={.data.password}']).stdout).toBe(Buffer.from(SECRET_VALUE).toString('base64'));
    const raw = server.etcdValue('/registry/secrets/default/db');
    expect(raw.subarray(0, 8).toString()).toBe('k8s:enc:');
    expect(raw.toString('latin1')).toMatch(/^k8s:enc:secretbox:v1:key1:/);
    expect(raw.includes(SECRET_VALUE)).toBe(false);
    expect(raw.includes(Buffer.from(SECRET_VALUE).toString('base64'))).toBe(false);
  });

  test('the audit log records the Secret at Metadata level, without its data', async () => {
    // The log backend writes batches asynchronously: wait for the event.
    let events: any[] = [];
    for (let i = 0; i < 40 && events.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 250));
      events = readFileSync(auditLog, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l))
        .filter((e) => e.objectRef?.resource === 'secrets' && e.objectRef?.name === 'db' && e.verb === 'create');
    }
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ level: 'Metadata', stage: 'ResponseComplete', responseStatus: { code: 201 } });
    expect(events[0].requestObject).toBeUndefined();
    expect(events[0].responseObject).toBeUndefined();
    const log = readFileSync(auditLog, 'utf8');
    expect(log).not.toContain(SECRET_VALUE);
    expect(log).not.toContain(Buffer.from(SECRET_VALUE).toString('base64'));
  }, 20_000);

  test('Pod Security Admission enforces restricted cluster-wide, kube-system exempt', () => {
    const pod = (ns: string) => JSON.stringify({
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'root-shell', namespace: ns },
      spec: { automountServiceAccountToken: false, containers: [{ name: 'c', image: 'busybox:1.36', securityContext: { privileged: true } }] },
    });
    expect(server.kubectl(['create', 'namespace', 'apps']).code).toBe(0);
    for (const ns of ['apps', 'kube-system']) {
      // No controller manager runs, so create the default ServiceAccount the ServiceAccount plugin looks up.
      server.kubectl(['create', 'serviceaccount', 'default', '-n', ns]);
    }
    const refused = server.kubectl(['create', '-f', '-'], pod('apps'));
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/violates PodSecurity "restricted:v1.28": privileged \(container "c" must not set securityContext.privileged=true\)/);
    const exempt = server.kubectl(['create', '-f', '-'], pod('kube-system'));
    expect(exempt.stderr).toBe('');
    expect(exempt.code).toBe(0);
  });

  test('the profiling endpoint is off', () => {
    expect(server.kubectl(['get', '--raw', '/debug/pprof/']).stderr).toMatch(/NotFound|not found/i);
  });

  test("document 004's admission plugin list stops kube-apiserver at start", () => {
    const res = spawnSync(API_SERVER, ['--enable-admission-plugins=NodeRestriction,ResourceQuota,PodSecurityPolicy', '--etcd-servers=http://127.0.0.1:1',
      '--service-account-issuer=https://kubernetes.default.svc', `--service-account-key-file=${join(files, 'ca.key')}`,
      `--service-account-signing-key-file=${join(files, 'ca.key')}`, `--cert-dir=${join(files, 'psp-certs')}`], { encoding: 'utf8', timeout: 30_000 });
    expect(res.status).not.toBe(0);
    expect(res.stderr).toContain('enable-admission-plugins plugin \\"PodSecurityPolicy\\" is unknown');
  });
});
