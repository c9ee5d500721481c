import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Chart, Testing } from 'cdk8s';
import { addCalicoClusterBaseline, addProductionNamespace, addUserServiceFlows } from '../../apps/parts/network';
import { RbacClusterRole, RbacRole } from '../../lib/namespace';
import { CalicoDefaultDeny, CalicoInstallation, CalicoIpPool, WorkloadNetworkPolicy } from '../../lib/network';
import { crdSchemaProblems } from '../support/crd-schema';
import { FakeWorkload } from '../support/fake-workload';
import { kubernetesModelProblems } from '../support/validate-kubernetes';

// Every object the network and namespace constructs emit, checked against the real schemas:
// Kubernetes kinds with kubernetes-models, Calico/Tigera kinds with the CRDs' openAPIV3Schema.
const CRDS = join(__dirname, '..', '..', 'crds');
if (!existsSync(CRDS)) {
  throw new Error(`no CRD files at ${CRDS}: the vendored CRDs (crds/README.md) are part of the repository; restore them with git.`);
}
/** The custom resource kinds these constructs emit, each checked against its vendored CRD. */
const CRD_KINDS = [
  'projectcalico.org/v3 GlobalNetworkPolicy', 'projectcalico.org/v3 NetworkPolicy', 'projectcalico.org/v3 IPPool',
  'projectcalico.org/v3 BGPConfiguration', 'operator.tigera.io/v1 Installation',
];
const KUBERNETES_KINDS = [
  'v1 Namespace', 'v1 ResourceQuota', 'v1 LimitRange', 'networking.k8s.io/v1 NetworkPolicy',
  'rbac.authorization.k8s.io/v1 Role', 'rbac.authorization.k8s.io/v1 RoleBinding',
  'rbac.authorization.k8s.io/v1 ClusterRole', 'rbac.authorization.k8s.io/v1 ClusterRoleBinding',
];

/** The problems of a custom resource against its vendored CRD's openAPIV3Schema (test/support/crd-schema.ts). */
function crdProblems(manifest: any): unknown[] {
  return crdSchemaProblems(manifest).flatMap((p) => p.errors);
}

function everything(): any[] {
  const app = Testing.app();
  const cluster = new Chart(app, 'cluster');
  addCalicoClusterBaseline(cluster);
  new CalicoIpPool(cluster, 'extra', { cidr: '10.250.0.0/16', vxlanMode: 'Always', nodeSelector: 'pool == "extra"' });
  new RbacClusterRole(cluster, 'node-reader', { rules: [{ apiGroups: [''], resources: ['nodes'], verbs: ['get', 'list'] }] });
  const apps = new Chart(app, 'apps', { namespace: 'production' });
  addProductionNamespace(apps);
  const api = new FakeWorkload(apps, 'user-service', { ports: [{ name: 'http', number: 8080 }] });
  addUserServiceFlows(api);
  WorkloadNetworkPolicy.of(api).allowToCidr('10.20.0.0/16', { ports: [443], except: ['10.20.1.0/24'] }).allowFromNamespace('monitoring', { port: 'http' });
  new CalicoDefaultDeny(apps, 'calico-deny', { namespace: 'production' });
  const role = new RbacRole(apps, 'config-reader', { rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }] });
  role.grantTo(api);
  (cluster.node.findChild('node-reader') as RbacClusterRole).grantTo(api);
  const eks = new Chart(app, 'eks');
  new CalicoInstallation(eks, 'calico-policy-only', { cni: 'AmazonVPC' });
  // The fake workload's Deployment and Service are test scaffolding, not objects our constructs emit.
  return [...Testing.synth(cluster), ...Testing.synth(apps), ...Testing.synth(eks)].filter((m) => m.kind !== 'Deployment' && m.kind !== 'Service');
}

describe('emitted objects match their schemas', () => {
  const manifests = everything();

  test('covers every kind the constructs emit', () => {
    expect([...new Set(manifests.map((m) => `${m.apiVersion} ${m.kind}`))].sort()).toEqual(
      [...CRD_KINDS, ...KUBERNETES_KINDS].sort(),
    );
  });

  test('Kubernetes objects validate with kubernetes-models', () => {
    const objects = manifests.filter((m) => KUBERNETES_KINDS.includes(`${m.apiVersion} ${m.kind}`));
    expect(objects.length).toBeGreaterThan(10);
    expect(kubernetesModelProblems(objects)).toEqual([]);
  });

  test('the validator does catch a bad object', () => {
    const bad = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'x' }, spec: { podSelector: {}, policyTypes: 'Ingress' } };
    expect(kubernetesModelProblems([bad])).toHaveLength(1);
  });

  test.each(manifests.filter((m) => CRD_KINDS.includes(`${m.apiVersion} ${m.kind}`)).map((m) => [`${m.apiVersion} ${m.kind} ${m.metadata.name}`, m]))('%s matches its CRD schema', (_name, manifest) => {
    expect(crdProblems(manifest)).toEqual([]);
  });

  test('the CRD check does catch a bad value and an unknown field', () => {
    const problems = crdProblems({ apiVersion: 'projectcalico.org/v3', kind: 'IPPool', metadata: {}, spec: { cidr: '10.0.0.0/16', vxlanMode: 'Sometimes', ipipmode: 'Never' } });
    expect(problems[0]).toBe('unknown field spec.ipipmode');
    expect(problems).toHaveLength(2);
  });
});
