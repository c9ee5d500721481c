import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Chart } from 'cdk8s';
import { existsSync } from 'node:fs';
import * as kplus from 'cdk8s-plus-28';
import { createBundledApps, synthBundledApps } from '../../apps/bundled-app';
import { policyCheckHook } from '../../lib/policy';
import { synthApp } from '../../lib/synth';
import { releaseTag } from '../../apps/config/release-tag';
import { manifestsOf, readTree } from '../support/tree';

/** Synthesizes every bundled app into a fresh folder and returns its files. */
function synthTree(env: NodeJS.ProcessEnv = {}): Record<string, string> {
  const outRoot = mkdtempSync(join(tmpdir(), 'guardrails-dist-'));
  synthBundledApps(outRoot, { env });
  return readTree(outRoot);
}

const tree = synthTree();
const find = (folder: string, kind: string, name: string) => {
  const matches = manifestsOf(tree, `${folder}/`).filter((m) => m.kind === kind && m.metadata.name === name);
  expect(matches).toHaveLength(1);
  return matches[0];
};

describe('the bundled app stacks', () => {
  test('render a cluster baseline and both environments for both clouds', () => {
    expect(Object.keys(tree).filter((f) => f.endsWith('.k8s.yaml'))).toEqual([
      'alibaba/cluster/cluster-baseline.k8s.yaml', 'alibaba/production/shop.k8s.yaml', 'alibaba/staging/shop.k8s.yaml',
      'aws/cluster/cluster-baseline.k8s.yaml', 'aws/production/shop.k8s.yaml', 'aws/staging/shop.k8s.yaml',
    ]);
  });

  test('cluster-scoped objects live only in the cluster baseline', () => {
    for (const env of ['aws/staging/', 'aws/production/', 'alibaba/staging/', 'alibaba/production/']) {
      expect(manifestsOf(tree, env).filter((m) => ['StorageClass', 'IngressClass', 'ClusterIssuer'].includes(m.kind))).toEqual([]);
    }
    const cluster = manifestsOf(tree, 'aws/cluster/');
    expect(cluster.filter((m) => m.kind === 'StorageClass').map((m) => m.metadata.name).sort()).toEqual(['fast-ssd', 'high-iops-ssd', 'local-storage', 'standard-hdd']);
    // Only the Argo CD Applications (Argo CD reads them from its own namespace) and the parameter
    // ConfigMaps of the ValidatingAdmissionPolicies (kube-system) are namespaced.
    expect(cluster.filter((m) => m.metadata.namespace !== undefined && m.kind !== 'ConfigMap').map((m) => `${m.kind} ${m.metadata.namespace}`)).toEqual(['Application argocd', 'Application argocd']);
    expect(cluster.filter((m) => m.kind === 'ConfigMap').every((m) => m.metadata.namespace === 'kube-system' && m.metadata.name.startsWith('guardrails-'))).toBe(true);
  });

  test('the cluster baseline deploys each environment folder with an Argo CD Application', () => {
    for (const cloud of ['aws', 'alibaba']) {
      const apps = manifestsOf(tree, `${cloud}/cluster/`).filter((m) => m.kind === 'Application');
      expect(apps.map((a) => [a.metadata.name, a.metadata.namespace, a.spec.source.path, a.spec.destination.namespace])).toEqual([
        ['shop-production', 'argocd', `dist/${cloud}/production`, 'production'],
        ['shop-staging', 'argocd', `dist/${cloud}/staging`, 'staging'],
      ]);
      expect(apps.every((a) => a.spec.source.repoURL === 'https://git.company.com/platform/shop-deploy.git')).toBe(true);
    }
  });

  test('every folder has a kustomization listing its manifests', () => {
    // dist/<cloud>/control-plane/ holds node files for kubeadm, never applied to the API server.
    const folders = [...new Set(Object.keys(tree).map((f) => f.slice(0, f.lastIndexOf('/'))))].filter((f) => !f.endsWith('/control-plane'));
    expect(folders).toHaveLength(6);
    for (const folder of folders) {
      const files = Object.keys(tree).filter((f) => f.startsWith(`${folder}/`) && f.endsWith('.k8s.yaml')).map((f) => `  - ${f.slice(folder.length + 1)}`);
      expect(tree[`${folder}/kustomization.yaml`]).toContain(`resources:\n${files.join('\n')}\n`);
    }
  });

  test('synthesizing twice gives byte-identical files', () => {
    expect(synthTree()).toEqual(tree);
  });

  test('the committed dist/ matches a fresh synth', () => {
    expect(readTree(join(__dirname, '../../dist'))).toEqual(tree);
  });

  test('the user-service runs the documented image, ports and 3-10 replicas in production', () => {
    const deployment = find('aws/production', 'Deployment', 'user-service');
    expect(deployment.metadata.namespace).toBe('production');
    const container = deployment.spec.template.spec.containers[0];
    expect(container.image).toBe('myregistry.com/user-service:v1.2.3');
    expect(container.ports.map((p: any) => [p.name, p.containerPort])).toEqual([['http', 8080], ['grpc', 8081]]);
    const hpa = find('aws/production', 'HorizontalPodAutoscaler', 'user-service');
    expect([hpa.spec.minReplicas, hpa.spec.maxReplicas]).toEqual([3, 10]);
    expect(deployment.spec.replicas).toBeUndefined();
  });

  test('the user-service reads env from its Secret, its ConfigMap and the node IP', () => {
    const container = find('aws/production', 'Deployment', 'user-service').spec.template.spec.containers[0];
    const byName = Object.fromEntries(container.env.map((e: any) => [e.name, e.valueFrom]));
    expect(byName.DATABASE_PASSWORD).toEqual({ secretKeyRef: { name: 'user-service-secrets', key: 'database-password', optional: false } });
    expect(byName.LOG_LEVEL).toEqual({ configMapKeyRef: { name: 'user-service-config', key: 'log-level', optional: false } });
    expect(byName.JAEGER_AGENT_HOST).toEqual({ fieldRef: { fieldPath: 'status.hostIP' } });
  });

  test('staging and production differ in namespace, replicas and autoscaler range', () => {
    for (const cloud of ['aws', 'alibaba']) {
      const orders = (env: string) => find(`${cloud}/${env}`, 'Deployment', 'order-service');
      expect([orders('staging').spec.replicas, orders('production').spec.replicas]).toEqual([2, 5]);
      expect([orders('staging').metadata.namespace, orders('production').metadata.namespace]).toEqual(['staging', 'production']);
      const hpa = (env: string) => find(`${cloud}/${env}`, 'HorizontalPodAutoscaler', 'user-service').spec;
      expect([hpa('staging').minReplicas, hpa('staging').maxReplicas]).toEqual([2, 4]);
      expect([hpa('production').minReplicas, hpa('production').maxReplicas]).toEqual([3, 10]);
    }
  });

  test('each cloud pulls from its own registry', () => {
    const image = (cloud: string) => find(`${cloud}/production`, 'Deployment', 'frontend').spec.template.spec.containers[0].image;
    expect(image('aws')).toBe('myregistry.com/frontend:v2.4.0');
    expect(image('alibaba')).toBe('registry.cn-hangzhou.aliyuncs.com/shop/frontend:v2.4.0');
  });

  test('a release build uses the commit tag for every image and version label', () => {
    const release = synthTree({ GUARDRAILS_RELEASE: 'true', CI_COMMIT_SHA: '3f2a9c1' });
    const deployments = manifestsOf(release, 'aws/production/').filter((m) => m.kind === 'Deployment');
    const shop = deployments.filter((d) => d.metadata.labels['app.kubernetes.io/part-of'] === 'shop');
    expect(shop.map((d) => d.metadata.name).sort()).toEqual(['frontend', 'order-service', 'payment-service', 'user-service']);
    expect(shop.map((d) => d.spec.template.spec.containers[0].image.split(':')[1])).toEqual(['3f2a9c1', '3f2a9c1', '3f2a9c1', '3f2a9c1']);
    expect(shop.every((d) => d.metadata.labels.version === '3f2a9c1')).toBe(true);
  });

  test('every container has cpu, memory and ephemeral-storage requests and limits and liveness and readiness probes', () => {
    const workloads = manifestsOf(tree).filter((m) => ['Deployment', 'StatefulSet', 'DaemonSet'].includes(m.kind));
    expect(workloads.length).toBeGreaterThan(0);
    for (const workload of workloads) {
      for (const container of workload.spec.template.spec.containers) {
        const where = `${workload.kind} ${workload.metadata.name} container ${container.name}`;
        expect({ where, requests: Object.keys(container.resources?.requests ?? {}).sort() }).toEqual({ where, requests: ['cpu', 'ephemeral-storage', 'memory'] });
        expect({ where, limits: Object.keys(container.resources?.limits ?? {}).sort() }).toEqual({ where, limits: ['cpu', 'ephemeral-storage', 'memory'] });
        expect({ where, liveness: container.livenessProbe !== undefined, readiness: container.readinessProbe !== undefined })
          .toEqual({ where, liveness: true, readiness: true });
      }
    }
  });

  test('the aws production chart reads as the reviewers\' snapshot', () => {
    const [{ app }] = createBundledApps(mkdtempSync(join(tmpdir(), 'snap-')), { env: {} }).filter((a) => a.folder === 'aws/production');
    expect((app.node.findChild('shop') as Chart).toJson()).toMatchSnapshot();
  });
});

describe('releaseTag', () => {
  test('prefers IMAGE_TAG, then in a release build CI_COMMIT_SHA, else none', () => {
    expect(releaseTag({ IMAGE_TAG: 'v9', CI_COMMIT_SHA: 'abc' })).toBe('v9');
    expect(releaseTag({ GUARDRAILS_RELEASE: 'true', CI_COMMIT_SHA: 'abc' })).toBe('abc');
    expect(releaseTag({})).toBeUndefined();
  });

  test('CI_COMMIT_SHA alone does not change a non-release synth, so dist/ stays reproducible in CI', () => {
    expect(releaseTag({ CI_COMMIT_SHA: 'abc' })).toBeUndefined();
  });

  test('a release build without a tag fails with the fix', () => {
    expect(() => releaseTag({ GUARDRAILS_RELEASE: 'true' })).toThrow('GUARDRAILS_RELEASE is true but neither IMAGE_TAG nor CI_COMMIT_SHA is set: export IMAGE_TAG=');
  });

  test('a malformed tag fails naming its variable', () => {
    expect(() => releaseTag({ IMAGE_TAG: 'bad tag' })).toThrow("release tag 'bad tag' (from IMAGE_TAG) is not a valid image tag");
  });
});

describe('the synth-time policy check on the bundled apps', () => {
  test('a deliberately bad construct fails the synth with its path and the rule, before anything is written', () => {
    // GIVEN the bundled apps, with a stock cdk8s-plus Deployment on an unpinned image in production
    const outRoot = mkdtempSync(join(tmpdir(), 'guardrails-bad-'));
    const apps = createBundledApps(outRoot, { env: {} });
    const { app, policies } = apps.find((a) => a.folder === 'aws/production')!;
    new kplus.Deployment(app.node.findChild('shop'), 'legacy', { containers: [{ image: 'nginx' }] });
    // WHEN it is synthesized as `npm run synth` does
    const synth = () => synthApp(app, { beforeWrite: [policyCheckHook(policies)] });
    // THEN the error names the construct path, the object and the rules it breaks
    expect(synth).toThrow(/\[shop\/legacy\/Resource\] Deployment production\/shop-legacy violates K8sDisallowedTags \(disallowed-tags\)/);
    expect(synth).toThrow(/K8sRequiredLabels \(required-labels\)/);
    const written = existsSync(join(outRoot, 'aws/production')) ? readTree(join(outRoot, 'aws/production')) : {};
    expect(written).toEqual({});
  });
});
