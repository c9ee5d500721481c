import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { CLOUDS } from '../../apps/config/shop-config';
import { App } from 'cdk8s';
import { addControlPlaneCharts, createControlPlaneApps } from '../../apps/control-plane-stack';
import { KubernetesVersion } from '../../lib/common/kubernetes-version';
import { synthApp } from '../../lib/synth';
import { findEncryptionKeyLeaks } from '../../lib/cluster';
import { readTree } from '../support/tree';

function synthControlPlane(options: { target?: KubernetesVersion } = {}): Record<string, string> {
  const out = mkdtempSync(join(tmpdir(), 'control-plane-'));
  try {
    for (const { app } of createControlPlaneApps(out, [CLOUDS.aws, CLOUDS.alibaba], options)) synthApp(app);
    return readTree(out);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

const kinds = (text: string) => parseAllDocuments(text).map((d) => `${d.toJSON().apiVersion} ${d.toJSON().kind}`);

describe('the bundled control-plane files (dist/<cloud>/control-plane/)', () => {
  const tree = synthControlPlane();

  test('one file per node role and per API server file, for each cloud', () => {
    const files = ['admission-configuration.yaml', 'audit-policy.yaml', 'encryption-configuration.yaml', 'kubeadm-init.yaml',
      'kubeadm-join-control-plane-2.yaml', 'kubeadm-join-control-plane-3.yaml', 'kubeadm-join-worker.yaml'];
    expect(Object.keys(tree)).toEqual([...files.map((f) => `alibaba/control-plane/${f}`), ...files.map((f) => `aws/control-plane/${f}`)]);
  });

  test('kubeadm-init.yaml holds what `kubeadm init --config` reads, for the bundled target (1.37: v1.37.2, kubeadm v1beta4)', () => {
    expect(kinds(tree['aws/control-plane/kubeadm-init.yaml'])).toEqual([
      'kubeadm.k8s.io/v1beta4 InitConfiguration', 'kubeadm.k8s.io/v1beta4 ClusterConfiguration',
      'kubelet.config.k8s.io/v1beta1 KubeletConfiguration', 'kubeproxy.config.k8s.io/v1alpha1 KubeProxyConfiguration',
    ]);
    expect(tree['aws/control-plane/kubeadm-init.yaml']).toContain('kubernetesVersion: v1.37.2');
    expect(tree['aws/control-plane/admission-configuration.yaml']).toContain('enforce-version: v1.37');
  });

  test('each cloud encrypts Secrets with its KMS plugin; no key is written', () => {
    const name = (cloud: string) => parseAllDocuments(tree[`${cloud}/control-plane/encryption-configuration.yaml`])[0].toJSON().resources[0].providers[0].kms.name;
    expect([name('aws'), name('alibaba')]).toEqual(['aws-encryption-provider', 'alibaba-kms-plugin']);
    const docs = Object.values(tree).flatMap((t) => parseAllDocuments(t).map((d) => d.toJSON()));
    expect(findEncryptionKeyLeaks(docs)).toEqual([]);
  });

  test('the second and third control-plane nodes of document 004 join with their own addresses', () => {
    const address = (n: number) => parseAllDocuments(tree[`aws/control-plane/kubeadm-join-control-plane-${n}.yaml`])[0].toJSON().controlPlane.localAPIEndpoint.advertiseAddress;
    expect([address(2), address(3)]).toEqual(['10.0.1.11', '10.0.1.12']);
  });

  test('target 1.28 installs v1.28.15 with kubeadm v1beta3 and Pod Security v1.28', () => {
    const v128 = synthControlPlane({ target: '1.28' });
    expect(kinds(v128['aws/control-plane/kubeadm-init.yaml'])[0]).toBe('kubeadm.k8s.io/v1beta3 InitConfiguration');
    expect(v128['aws/control-plane/kubeadm-init.yaml']).toContain('kubernetesVersion: v1.28.15');
    expect(v128['aws/control-plane/admission-configuration.yaml']).toContain('enforce-version: v1.28');
  });

  test('a target without a pinned release fails with the fix', () => {
    expect(() => synthControlPlane({ target: '1.30' })).toThrow(
      'createControlPlaneApps: no pinned Kubernetes release for target 1.30 (aws): add its newest patch release to CONTROL_PLANE_RELEASES in apps/config/control-plane.ts (known: 1.28, 1.37).',
    );
  });

  test('a bad release fails with the chart path', () => {
    expect(() => addControlPlaneCharts(new App(), { cloud: CLOUDS.aws, kubernetesVersion: 'v1.26.0' })).toThrow(/^Chart 'kubeadm-init': kubernetesVersion 'v1.26.0' is older than v1.28/);
  });
});
