import { App, Chart, Duration } from 'cdk8s';
import { RestrictedNamespace } from '../../lib/namespace';
import { Connectivity } from '../../lib/network';
import { AcrCredentialHelper } from '../../lib/registry';
import { LoadBalancerPreset, SecureDeployment, WorkloadProbe } from '../../lib/workload';
import { checkedSynth } from './checked-synth';

const ACR_DOMAIN = 'company-registry.cn-hangzhou.cr.aliyuncs.com';

/**
 * Documents 000 and 003 on Alibaba Cloud ACK: a web service pulled from an ACR Enterprise
 * Edition instance through the `aliyun-acr-credential-helper` (no stored password), scaled by an
 * HPA from 1 to 10 replicas on CPU only, behind an internal SLB that only the VPC may call.
 */
function ackApp(app: App, helperFor: 'workloads' | 'default-only') {
  const chart = new Chart(app, 'web', { namespace: 'production', disableResourceNameHashes: true });
  new RestrictedNamespace(chart, 'namespace', { name: 'production' });
  const web = new SecureDeployment(chart, 'web', {
    image: `${ACR_DOMAIN}/shop/web:1.4.2`,
    ports: [{ name: 'http', number: 8080, servicePort: 80 }],
    resources: { requests: { cpu: '250m', memory: '64Mi' }, limits: { cpu: '500m', memory: '128Mi' } },
    probes: {
      liveness: WorkloadProbe.http('/health', { initialDelay: Duration.seconds(15), period: Duration.seconds(10) }),
      readiness: WorkloadProbe.http('/ready', { initialDelay: Duration.seconds(5), period: Duration.seconds(5) }),
    },
    autoscaling: { minReplicas: 1, maxReplicas: 10, memoryUtilizationPercent: false },
    service: { type: 'LoadBalancer', loadBalancer: LoadBalancerPreset.alibabaInternalSlb() },
  });
  web.allowFromCidr('172.16.0.0/12', { port: 'http' });
  // The helper's ConfigMap lives in kube-system, once per cluster: the cluster chart.
  const cluster = new Chart(app, 'cluster');
  new AcrCredentialHelper(cluster, 'acr', {
    ...(helperFor === 'workloads' ? { workloads: [web] } : { watchNamespaces: ['production'] }),
    registries: [{ instanceId: 'cri-abc123', regionId: 'cn-hangzhou', domains: [ACR_DOMAIN] }],
  });
}

describe('scenario: documents 000/003, ACK with ACR', () => {
  const checks = { pullPaths: { privateRegistries: ['*.aliyuncs.com'] } };

  test('synthesizes with the wiring and pull-path checks on', () => {
    const { manifests, files } = checkedSynth((app) => ackApp(app, 'workloads'), checks);
    expect(files).toEqual(['cluster.k8s.yaml', 'web.k8s.yaml']);
    const helper = manifests.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'acr-configuration');
    expect(helper.data['service-account']).toBe('web');
    expect(helper.data['watch-namespace']).toBe('production');
  });

  test('an HPA from 1 to 10 keeps the PDB, anti-affinity and zone spread (issue 14 problem 3)', () => {
    const { manifests } = checkedSynth((app) => ackApp(app, 'workloads'), checks);
    const pod = manifests.find((o) => o.kind === 'Deployment').spec.template.spec;
    expect(pod.affinity.podAntiAffinity).toBeDefined();
    expect(pod.topologySpreadConstraints).toHaveLength(1);
    expect(manifests.filter((o) => o.kind === 'PodDisruptionBudget')).toHaveLength(1);
    expect(manifests.find((o) => o.kind === 'HorizontalPodAutoscaler').spec.metrics.map((m: any) => m.resource.name)).toEqual(['cpu']);
  });

  test('VPC callers reach the internal SLB backend; nothing else does', () => {
    const { manifests } = checkedSynth((app) => ackApp(app, 'workloads'), checks);
    const net = new Connectivity(manifests);
    expect(net.isolatingPolicies('production/web', 'Ingress').length).toBeGreaterThan(0);
    const flows = manifests.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'web-flows');
    expect(flows.spec.ingress).toContainEqual({ from: [{ ipBlock: { cidr: '172.16.0.0/12' } }], ports: [{ port: 8080, protocol: 'TCP' }] });
  });

  test("the documented helper set-up (service-account 'default') fails the pull-path check", () => {
    expect(() => checkedSynth((app) => ackApp(app, 'default-only'), checks)).toThrow(
      /Deployment production\/web \(web\/web\/Deployment\/Resource\): container "web" pulls .* no ACR credential helper serves ServiceAccount "web" in namespace "production"/);
  });
});
