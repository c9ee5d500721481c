/**
 * kube-apiserver of each release started with every API server flag of that release's
 * kubeadm-init.yaml (node paths mapped into a temp folder), its audit policy and admission
 * configuration, and a rendered secretbox encryption configuration from the library: Secrets are
 * stored encrypted in etcd, audited at Metadata without data, and Pod Security is enforced cluster-wide.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Chart, Testing } from 'cdk8s';
import { parseAllDocuments, stringify } from 'yaml';
import { controlPlaneFilesFor } from './support/control-plane-files';
import { KubeServer, ensureKubeApiserver, startKubeServer } from './support/kube-server';
import { serverVersions } from './support/targets';
import { EncryptionAtRest, EncryptionKeySource, EncryptionProvider, renderEncryptionConfiguration } from '../../lib/cluster';

const SECRET_VALUE = `s3cr3t-${randomBytes(12).toString('hex')}`;

/** The API server flags of a kubeadm-init.yaml, as a map (v1beta3) whatever the kubeadm API (v1beta4 lists). */
function apiServerArgs(initFile: string): Record<string, string> {
  const cluster = parseAllDocuments(initFile).map((d) => d.toJSON()).find((d) => d.kind === 'ClusterConfiguration');
  const args = cluster.apiServer.extraArgs;
  return Array.isArray(args) ? Object.fromEntries(args.map((a: { name: string; value: string }) => [a.name, a.value])) : args;
}

/** A secretbox EncryptionConfiguration from the library, rendered with a fresh random key. */
function renderedEncryptionConfiguration(): string {
  const chart = new Chart(Testing.app(), 'files');
  new EncryptionAtRest(chart, 'encryption', { providers: [EncryptionProvider.secretbox('key1', EncryptionKeySource.fromEnvironment('K8S_SECRETBOX_KEY')), EncryptionProvider.identity()] });
  return renderEncryptionConfiguration(stringify(Testing.synth(chart)[0]), { env: { K8S_SECRETBOX_KEY: randomBytes(32).toString('base64') } });
}

describe.each(serverVersions())('kube-apiserver %s with the emitted control-plane files and flags', (version) => {
  let server: KubeServer;
  let dir: string;
  let auditLog: string;
  const minor = Number(version.split('.')[1]);

  beforeAll(async () => {
    const { files, cleanup } = controlPlaneFilesFor(version);
    dir = mkdtempSync(join(tmpdir(), 'control-plane-files-'));
    try {
      mkdirSync(join(dir, 'audit'));
      auditLog = join(dir, 'audit', 'audit.log');
      writeFileSync(join(dir, 'audit-policy.yaml'), files['aws/audit-policy.yaml']);
      writeFileSync(join(dir, 'admission-configuration.yaml'), files['aws/admission-configuration.yaml']);
      writeFileSync(join(dir, 'encryption-configuration.yaml'), renderedEncryptionConfiguration());
      // Any CA will do for --kubelet-certificate-authority: no kubelet is contacted.
      const ca = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', '/CN=test-ca', '-days', '1',
        '-keyout', join(dir, 'ca.key'), '-out', join(dir, 'ca.crt')], { encoding: 'utf8' });
      if (ca.status !== 0) throw new Error(`openssl req failed: ${ca.stderr}`);
      const paths: Record<string, string> = {
        '/etc/kubernetes/audit-policy.yaml': join(dir, 'audit-policy.yaml'),
        '/etc/kubernetes/admission-configuration.yaml': join(dir, 'admission-configuration.yaml'),
        '/etc/kubernetes/encryption-configuration.yaml': join(dir, 'encryption-configuration.yaml'),
        '/etc/kubernetes/pki/ca.crt': join(dir, 'ca.crt'),
        '/var/log/kubernetes/audit/audit.log': auditLog,
      };
      const extraArgs = Object.entries(apiServerArgs(files['aws/kubeadm-init.yaml'])).map(([k, v]) => `--${k}=${paths[v] ?? v}`);
      expect(extraArgs.filter((a) => a.includes('/etc/kubernetes') || a.includes('/var/log'))).toEqual([]);
      // No nodes and a loopback advertise address: 1.37 refuses that address for the endpoint reconciler.
      server = await startKubeServer({ version, extraArgs: [...extraArgs, '--endpoint-reconciler-type=none'] });
    } finally {
      cleanup();
    }
  });

  afterAll(async () => {
    await server?.stop();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  test('a Secret written through the API is stored encrypted in etcd (secretbox, key1)', () => {
    server.kubectl(['create', 'secret', 'generic', 'db', '-n', 'default', `--from-literal=password=${SECRET_VALUE}`]);
    expect(server.kubectl(['get', 'secret', 'db', '-n', 'default', '-o', 'jsonpath={.data.password}']).stdout).toBe(Buffer.from(SECRET_VALUE).toString('base64'));
    const res = spawnSync('etcdctl', [`--endpoints=${server.etcdUrl}`, 'get', '/registry/secrets/default/db', '--print-value-only'], { env: { ...process.env, ETCDCTL_API: '3' } });
    expect(res.status).toBe(0);
    const raw: Buffer = res.stdout;
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
    server.kubectl(['create', 'namespace', 'apps']);
    // No controller manager runs, so create the default ServiceAccount the ServiceAccount plugin looks up.
    for (const ns of ['apps', 'kube-system']) server.kubectl(['create', 'serviceaccount', 'default', '-n', ns], { allowFailure: true });
    const refused = server.kubectl(['create', '-f', '-'], { input: pod('apps'), allowFailure: true });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(new RegExp(`violates PodSecurity "restricted:v1\\.${minor}": privileged \\(container "c" must not set securityContext\\.privileged=true\\)`));
    const exempt = server.kubectl(['create', '-f', '-'], { input: pod('kube-system'), allowFailure: true });
    expect(exempt.stderr).toBe('');
    expect(exempt.code).toBe(0);
  });

  test('the profiling endpoint is off', () => {
    expect(server.kubectl(['get', '--raw', '/debug/pprof/'], { allowFailure: true }).stderr).toMatch(/NotFound|not found/i);
  });

  test("document 004's admission plugin list stops kube-apiserver at start", () => {
    const res = spawnSync(ensureKubeApiserver(version), ['--enable-admission-plugins=NodeRestriction,ResourceQuota,PodSecurityPolicy', '--etcd-servers=http://127.0.0.1:1',
      '--service-account-issuer=https://kubernetes.default.svc', `--service-account-key-file=${join(dir, 'ca.key')}`,
      `--service-account-signing-key-file=${join(dir, 'ca.key')}`, `--cert-dir=${join(dir, 'psp-certs')}`], { encoding: 'utf8', timeout: 30_000 });
    expect(res.status).not.toBe(0);
    expect(res.stderr).toContain('enable-admission-plugins plugin \\"PodSecurityPolicy\\" is unknown');
  });
});
