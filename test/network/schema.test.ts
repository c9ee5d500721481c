import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { Chart, Testing } from 'cdk8s';
import { execFileSync } from 'node:child_process';
import { parse } from 'yaml';
import { addCalicoClusterBaseline, addProductionNamespace, addUserServiceFlows } from '../../apps/parts/network';
import { RbacClusterRole, RbacRole } from '../../lib/namespace';
import { CalicoDefaultDeny, CalicoInstallation, CalicoIpPool, WorkloadNetworkPolicy } from '../../lib/network';
import { FakeWorkload } from '../support/fake-workload';

// Every object the network and namespace constructs emit, checked against the real schemas:
// Kubernetes kinds with kubernetes-models, Calico/Tigera kinds with the CRDs' openAPIV3Schema.
const CRDS = join(__dirname, '..', '..', 'crds');
if (!existsSync(CRDS)) {
  throw new Error(`no CRD files at ${CRDS}: the vendored CRDs (crds/README.md) are part of the repository; restore them with git.`);
}
const CRD_FILES: Record<string, string> = {
  'projectcalico.org/v3 GlobalNetworkPolicy': 'calico/projectcalico.org_globalnetworkpolicies.yaml',
  'projectcalico.org/v3 NetworkPolicy': 'calico/projectcalico.org_networkpolicies.yaml',
  'projectcalico.org/v3 IPPool': 'calico/projectcalico.org_ippools.yaml',
  'projectcalico.org/v3 BGPConfiguration': 'calico/projectcalico.org_bgpconfigurations.yaml',
  'operator.tigera.io/v1 Installation': 'tigera-operator/operator.tigera.io_installations.yaml',
};
const KUBERNETES_KINDS = [
  'v1 Namespace', 'v1 ResourceQuota', 'v1 LimitRange', 'networking.k8s.io/v1 NetworkPolicy',
  'rbac.authorization.k8s.io/v1 Role', 'rbac.authorization.k8s.io/v1 RoleBinding',
  'rbac.authorization.k8s.io/v1 ClusterRole', 'rbac.authorization.k8s.io/v1 ClusterRoleBinding',
];

/** kubernetes-models is ES-module only: validate in a child node process. */
function kubernetesProblems(objects: any[]): unknown[] {
  const script = join(__dirname, '..', 'support', 'validate-kubernetes.mjs');
  return JSON.parse(execFileSync(process.execPath, [script], { input: JSON.stringify(objects), encoding: 'utf8' }));
}

// Go RE2 patterns may hold the '(?i)' flag group (`^(?i)(Info|...)$`); JavaScript spells it 'i'.
const regExp = Object.assign(
  (pattern: string, flags: string) => (pattern.includes('(?i)') ? new RegExp(pattern.replace('(?i)', ''), `${flags}i`) : new RegExp(pattern, flags)),
  { code: 'RegExp' },
);
const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true, code: { regExp } });

/**
 * Keeps only the parts of `schema` that `value` uses (the Installation schema is 1.4 MB) and
 * lists fields of `value` that the schema does not declare: the API server would silently
 * prune those, so emitting one is a bug.
 */
function prune(schema: any, value: any, path: string, unknown: string[]): any {
  if (schema === undefined || value === null || typeof value !== 'object') return schema;
  if (Array.isArray(value)) {
    if (schema.items === undefined) return schema;
    const keys = Object.assign({}, ...value.filter((v) => v !== null && typeof v === 'object'));
    return { ...schema, items: prune(schema.items, Array.isArray(value[0]) ? value[0] : keys, `${path}[]`, unknown) };
  }
  if (schema.properties === undefined || schema['x-kubernetes-preserve-unknown-fields'] === true) return schema;
  const properties: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (!(key in schema.properties)) unknown.push(`${path}.${key}`);
    else properties[key] = prune(schema.properties[key], child, `${path}.${key}`, unknown);
  }
  return { ...schema, properties };
}

function crdProblems(manifest: any): unknown[] {
  const key = `${manifest.apiVersion} ${manifest.kind}`;
  const crd = parse(readFileSync(join(CRDS, CRD_FILES[key]), 'utf8'));
  const version = crd.spec.versions.find((v: any) => `${crd.spec.group}/${v.name}` === manifest.apiVersion);
  const root = version.schema.openAPIV3Schema;
  const unknown: string[] = [];
  // metadata is checked by the API server, not by the CRD schema.
  const spec = prune(root.properties.spec, manifest.spec, 'spec', unknown);
  const validate = ajv.compile({ ...root, properties: { ...root.properties, metadata: { type: 'object' }, spec } });
  validate(manifest);
  return [...unknown.map((field) => `unknown field ${field}`), ...(validate.errors ?? [])];
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
      [...Object.keys(CRD_FILES), ...KUBERNETES_KINDS].sort(),
    );
  });

  test('Kubernetes objects validate with kubernetes-models', () => {
    const objects = manifests.filter((m) => KUBERNETES_KINDS.includes(`${m.apiVersion} ${m.kind}`));
    expect(objects.length).toBeGreaterThan(10);
    expect(kubernetesProblems(objects)).toEqual([]);
  });

  test('the validator does catch a bad object', () => {
    const bad = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'x' }, spec: { podSelector: {}, policyTypes: 'Ingress' } };
    expect(kubernetesProblems([bad])).toHaveLength(1);
  });

  test.each(manifests.filter((m) => `${m.apiVersion} ${m.kind}` in CRD_FILES).map((m) => [`${m.apiVersion} ${m.kind} ${m.metadata.name}`, m]))('%s matches its CRD schema', (_name, manifest) => {
    expect(crdProblems(manifest)).toEqual([]);
  });

  test('the CRD check does catch a bad value and an unknown field', () => {
    const problems = crdProblems({ apiVersion: 'projectcalico.org/v3', kind: 'IPPool', metadata: {}, spec: { cidr: '10.0.0.0/16', vxlanMode: 'Sometimes', ipipmode: 'Never' } });
    expect(problems[0]).toBe('unknown field spec.ipipmode');
    expect(problems).toHaveLength(2);
  });
});
