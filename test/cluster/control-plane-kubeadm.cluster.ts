/**
 * `kubeadm config validate` of each server release accepts every kubeadm file of the control-plane
 * folder for that release (v1beta3 on 1.28, v1beta4 from 1.31) and rejects document 004's mistakes.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Chart, Testing } from 'cdk8s';
import { stringify } from 'yaml';
import { KubeadmConfiguration, KubeadmJoinConfiguration, KubeletHardening, KubeProxyHardening } from '../../lib/cluster';
import { DOC_004_HA, companions } from '../control-plane/fixtures';
import { controlPlaneFilesFor, ensureKubeadm } from './support/control-plane-files';
import { serverVersions } from './support/targets';

/**
 * `kubeadm config validate` on `text`, chrooted (`--rootfs`) into a folder that holds the file and
 * an empty /etc/kubernetes/discovery.kubeconfig: kubeadm checks that a join file's discovery
 * kubeconfig exists, and the emitted files name that absolute path. Not root: a user namespace.
 */
function validate(kubeadm: string, text: string, options: { discoveryFile?: boolean } = {}): { code: number; out: string; warnings: string[] } {
  const root = mkdtempSync(join(tmpdir(), 'kubeadm-rootfs-'));
  try {
    mkdirSync(join(root, 'etc', 'kubernetes'), { recursive: true });
    if (options.discoveryFile ?? true) writeFileSync(join(root, 'etc', 'kubernetes', 'discovery.kubeconfig'), '');
    writeFileSync(join(root, 'config.yaml'), text);
    const args = ['config', 'validate', '--rootfs', root, '--config', '/config.yaml'];
    const res = process.getuid?.() === 0 ? spawnSync(kubeadm, args, { encoding: 'utf8' }) : spawnSync('unshare', ['-r', kubeadm, ...args], { encoding: 'utf8' });
    if (res.error) throw res.error;
    const lines = res.stderr.split('\n');
    // kubeadm probes the host for systemd-resolved; a test machine without systemd says so.
    const warnings = lines.filter((l) => /^W\d{4} /.test(l) && !/cannot determine if systemd-resolved is active/.test(l));
    return { code: res.status ?? -1, out: `${res.stdout}${lines.filter((l) => !/^[WI]\d{4} /.test(l)).join('\n')}`, warnings };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

const OK = { code: 0, out: 'ok\n', warnings: [] };

describe.each(serverVersions())('kubeadm %s config validate', (version) => {
  let kubeadm: string;
  let files: Record<string, string>;
  let cleanup = () => {};
  beforeAll(() => {
    kubeadm = ensureKubeadm(version);
    ({ files, cleanup } = controlPlaneFilesFor(version));
  });
  afterAll(() => cleanup());

  /** An init file for `version` with the given KubeadmConfiguration props. */
  function synthInit(props: Record<string, unknown> = {}) {
    const app = Testing.app();
    const chart = new Chart(app, 'init');
    const cluster = new KubeadmConfiguration(chart, 'kubeadm', { ...DOC_004_HA, kubernetesVersion: version, ...companions(new Chart(app, 'api-server-files')), ...props });
    new KubeletHardening(chart, 'kubelet');
    new KubeProxyHardening(chart, 'proxy', { clusterCidr: DOC_004_HA.podSubnet, kubernetesVersion: version });
    return { cluster, text: Testing.synth(chart).map((d) => stringify(d)).join('---\n') };
  }

  test('accepts every kubeadm file of both clouds, without warnings', () => {
    const kubeadmFiles = Object.keys(files).filter((f) => /\/kubeadm-/.test(f));
    expect(kubeadmFiles).toHaveLength(8);
    expect(kubeadmFiles.map((f) => [f, validate(kubeadm, files[f])])).toEqual(kubeadmFiles.map((f) => [f, OK]));
  });

  test('accepts an init file with every endpoint exposed, extra flags, plugins and SANs', () => {
    const { text } = synthInit({
      certSans: ['127.0.0.1', 'api.internal'], admissionPlugins: ['NodeRestriction', 'ResourceQuota', 'AlwaysPullImages'],
      controllerManagerEndpoint: { address: '0.0.0.0', reason: 'scraped' }, schedulerEndpoint: { address: '0.0.0.0', reason: 'scraped' },
      etcdMetricsEndpoint: { address: '10.0.1.10', reason: 'scraped' }, apiServerExtraArgs: { 'request-timeout': '300s' },
      kubeletExtraArgs: { 'node-labels': 'role=control-plane' }, externalCloudProvider: true,
    });
    expect(validate(kubeadm, text)).toEqual(OK);
  });

  test('accepts a single-node control plane and its worker join file', () => {
    const { cluster, text } = synthInit({ controlPlaneNodes: [{ address: '192.168.1.5', name: 'cp-1' }] });
    expect(validate(kubeadm, text)).toEqual(OK);
    const chart = new Chart(Testing.app(), 'join');
    new KubeadmJoinConfiguration(chart, 'join', { cluster, nodeName: 'worker-1' });
    expect(validate(kubeadm, stringify(Testing.synth(chart)[0]))).toEqual(OK);
  });

  describe('rejects broken files (the mistakes of document 004)', () => {
    const init = () => files['aws/kubeadm-init.yaml'];

    test('a KubeletConfiguration declared in the kubeadm group', () => {
      const group = /apiVersion: (kubeadm\.k8s\.io\/v1beta\d)\nkind: InitConfiguration/.exec(init())![1];
      const bad = init().replace('apiVersion: kubelet.config.k8s.io/v1beta1', `apiVersion: ${group}`);
      expect(bad).not.toBe(init());
      const { code, out } = validate(kubeadm, bad);
      expect(code).not.toBe(0);
      expect(out).toMatch(/unknown configuration APIs.*Kind:"KubeletConfiguration"/);
    });

    test('advertiseAddress and bindPort under apiServer (they belong to InitConfiguration.localAPIEndpoint)', () => {
      const { code, out } = validate(kubeadm, init().replace('apiServer:\n', 'apiServer:\n  advertiseAddress: 10.0.1.10\n  bindPort: 6443\n'));
      expect(code).not.toBe(0);
      expect(out).toMatch(/strict decoding error: unknown field "apiServer.advertiseAddress", unknown field "apiServer.bindPort"/);
    });

    test('a misspelt kubelet field', () => {
      const { code, out } = validate(kubeadm, init().replace('readOnlyPort: 0', 'readOnlyPorts: 0'));
      expect(code).not.toBe(0);
      expect(out).toMatch(/unknown field "readOnlyPorts"/);
    });

    test('a join file whose discovery kubeconfig is not on the node', () => {
      const { code, out } = validate(kubeadm, files['aws/kubeadm-join-worker.yaml'], { discoveryFile: false });
      expect(code).not.toBe(0);
      expect(out).toMatch(/discovery.file.kubeConfigPath: Invalid value: "\/etc\/kubernetes\/discovery.kubeconfig": not a valid HTTPS URL or a file on disk/);
    });
  });
});
