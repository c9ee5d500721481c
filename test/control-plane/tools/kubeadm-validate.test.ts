import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Chart, Testing } from 'cdk8s';
import { stringify } from 'yaml';
import { KubeadmConfiguration, KubeadmJoinConfiguration, KubeletHardening, KubeProxyHardening } from '../../../lib/cluster';
import { DOC_004_HA, companions } from '../fixtures';
import { describeWithBinaries, kubeBinary } from './binaries';

const KUBEADM = kubeBinary('kubeadm');
const DIST = join(__dirname, '..', '..', '..', 'dist');

/**
 * `kubeadm config validate` on `text`, chrooted (`--rootfs`) into a folder that holds the file and
 * an empty /etc/kubernetes/discovery.kubeconfig: kubeadm checks that a join file's discovery
 * kubeconfig exists, and the emitted files name that absolute path. Not root: a user namespace.
 */
function validate(text: string, options: { discoveryFile?: boolean } = {}): { code: number; out: string; warnings: string[] } {
  const root = mkdtempSync(join(tmpdir(), 'kubeadm-rootfs-'));
  try {
    mkdirSync(join(root, 'etc', 'kubernetes'), { recursive: true });
    if (options.discoveryFile ?? true) writeFileSync(join(root, 'etc', 'kubernetes', 'discovery.kubeconfig'), '');
    writeFileSync(join(root, 'config.yaml'), text);
    const args = ['config', 'validate', '--rootfs', root, '--config', '/config.yaml'];
    const asRoot = process.getuid?.() === 0;
    const res = asRoot ? spawnSync(KUBEADM, args, { encoding: 'utf8' }) : spawnSync('unshare', ['-r', KUBEADM, ...args], { encoding: 'utf8' });
    if (res.error) throw res.error;
    // kubeadm probes the host for systemd-resolved; a test machine without systemd says so.
    const warnings = res.stderr.split('\n').filter((l) => /^W\d{4} /.test(l) && !/cannot determine if systemd-resolved is active/.test(l));
    return { code: res.status ?? -1, out: `${res.stdout}${res.stderr.split('\n').filter((l) => !/^[WI]\d{4} /.test(l)).join('\n')}`, warnings };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

function synthInit(props: Record<string, unknown> = {}) {
  const app = Testing.app();
  const chart = new Chart(app, 'init');
  const cluster = new KubeadmConfiguration(chart, 'kubeadm', { ...DOC_004_HA, ...companions(new Chart(app, 'api-server-files')), ...props });
  new KubeletHardening(chart, 'kubelet');
  new KubeProxyHardening(chart, 'proxy', { clusterCidr: DOC_004_HA.podSubnet });
  return { cluster, text: Testing.synth(chart).map((d) => stringify(d)).join('---\n') };
}

const kubeadmFiles = readdirSync(DIST).flatMap((cloud) => {
  const dir = join(DIST, cloud, 'control-plane');
  try {
    return readdirSync(dir).filter((f) => f.startsWith('kubeadm-')).map((f) => join(cloud, 'control-plane', f));
  } catch {
    return [];
  }
});

describeWithBinaries([KUBEADM])('kubeadm v1.28.15 config validate', () => {
  test('the committed dist/ has kubeadm files to validate', () => {
    expect(kubeadmFiles).toHaveLength(8);
  });

  test.each(kubeadmFiles)('accepts dist/%s, without warnings', (file) => {
    expect(validate(readFileSync(join(DIST, file), 'utf8'))).toEqual({ code: 0, out: 'ok\n', warnings: [] });
  });

  test('accepts an init file with every endpoint exposed, extra flags, plugins and SANs', () => {
    const { text } = synthInit({
      certSans: ['127.0.0.1', 'api.internal'], admissionPlugins: ['NodeRestriction', 'ResourceQuota', 'AlwaysPullImages'],
      controllerManagerEndpoint: { address: '0.0.0.0', reason: 'scraped' }, schedulerEndpoint: { address: '0.0.0.0', reason: 'scraped' },
      etcdMetricsEndpoint: { address: '10.0.1.10', reason: 'scraped' }, apiServerExtraArgs: { 'request-timeout': '300s' },
      kubeletExtraArgs: { 'node-labels': 'role=control-plane' }, externalCloudProvider: true,
    });
    expect(validate(text)).toEqual({ code: 0, out: 'ok\n', warnings: [] });
  });

  test('accepts a single-node control plane and its worker join file', () => {
    const { cluster, text } = synthInit({ controlPlaneNodes: [{ address: '192.168.1.5', name: 'cp-1' }] });
    expect(validate(text)).toEqual({ code: 0, out: 'ok\n', warnings: [] });
    const chart = new Chart(Testing.app(), 'join');
    new KubeadmJoinConfiguration(chart, 'join', { cluster, nodeName: 'worker-1' });
    expect(validate(stringify(Testing.synth(chart)[0]))).toEqual({ code: 0, out: 'ok\n', warnings: [] });
  });

  describe('rejects broken files (the mistakes of document 004)', () => {
    const good = readFileSync(join(DIST, 'aws', 'control-plane', 'kubeadm-init.yaml'), 'utf8');

    test('a KubeletConfiguration declared in the kubeadm group', () => {
      const bad = good.replace('apiVersion: kubelet.config.k8s.io/v1beta1', 'apiVersion: kubeadm.k8s.io/v1beta3');
      expect(bad).not.toBe(good);
      const { code, out } = validate(bad);
      expect(code).not.toBe(0);
      expect(out).toMatch(/unknown configuration APIs.*Group:"kubeadm.k8s.io", Version:"v1beta3", Kind:"KubeletConfiguration"/);
    });

    test('advertiseAddress and bindPort under apiServer (they belong to InitConfiguration.localAPIEndpoint)', () => {
      const bad = good.replace('apiServer:\n', 'apiServer:\n  advertiseAddress: 10.0.1.10\n  bindPort: 6443\n');
      const { code, out } = validate(bad);
      expect(code).not.toBe(0);
      expect(out).toMatch(/strict decoding error: unknown field "apiServer.advertiseAddress", unknown field "apiServer.bindPort"/);
    });

    test('a misspelt kubelet field', () => {
      const { code, out } = validate(good.replace('readOnlyPort: 0', 'readOnlyPorts: 0'));
      expect(code).not.toBe(0);
      expect(out).toMatch(/unknown field "readOnlyPorts"/);
    });

    test('a join file whose discovery kubeconfig is not on the node', () => {
      const join2 = readFileSync(join(DIST, 'aws', 'control-plane', 'kubeadm-join-worker.yaml'), 'utf8');
      const { code, out } = validate(join2, { discoveryFile: false });
      expect(code).not.toBe(0);
      expect(out).toMatch(/discovery.file.kubeConfigPath: Invalid value: "\/etc\/kubernetes\/discovery.kubeconfig": not a valid HTTPS URL or a file on disk/);
    });
  });
});
