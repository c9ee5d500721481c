import { App, Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { RestrictedNamespace } from '../../lib/namespace';
import { addFluentBitSidecar, allowTracingEgress, addTracing, WorkloadAlertRules, WorkloadMonitor } from '../../lib/observability';
import { SecureIngress } from '../../lib/ingress';
import { DefaultServiceAccount, RegistryPullSecret } from '../../lib/registry';
import { ExternalSecret, SecretStore, SecretStoreProvider } from '../../lib/secrets';
import { PriorityClass, SecureDeployment, WorkloadProbe } from '../../lib/workload';
import { checkedSynth } from './checked-synth';

const REGISTRY = 'registry.company.com';

/**
 * Document 002's deploy flow: a CI-built image (a release tag) from the private registry, with a
 * pull secret and the app secret from Vault, three replicas with the document's requests and
 * limits, scheduling on a dedicated node pool (node affinity, a toleration, a PriorityClass, zone
 * spread), the alert table, a Fluent Bit sidecar shipping to the logging namespace and Jaeger
 * tracing through the node's agent.
 */
function deployFlow(app: App) {
  const cluster = new Chart(app, 'cluster');
  const priority = new PriorityClass(cluster, 'business-critical', { value: 100000, description: 'Customer-facing services: scheduled first, preempt batch pods.' });
  const chart = new Chart(app, 'web', { namespace: 'production', disableResourceNameHashes: true });
  new RestrictedNamespace(chart, 'namespace', { name: 'production' });
  const vault = new SecretStore(chart, 'vault', { provider: SecretStoreProvider.vault({ server: 'https://vault.company.com:8200', auth: { kubernetes: { role: 'production' } } }) });
  const regcred = new RegistryPullSecret(chart, 'regcred', { fromExternalSecret: { store: vault, remoteKey: 'production/registry/regcred' } });
  new ExternalSecret(chart, 'web-secrets', { name: 'web-secrets', store: vault, data: { 'api-key': { key: 'production/web', property: 'api-key' } } });
  const web = new SecureDeployment(chart, 'web-service', {
    image: `${REGISTRY}/web:v1.2.0`,
    replicas: 3,
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
    probes: { liveness: WorkloadProbe.http('/health', { initialDelay: Duration.seconds(30), period: Duration.seconds(10) }) },
    metrics: {},
    nodeAffinity: { required: { 'node-pool': ['web'] } },
    tolerations: [{ key: 'dedicated', value: 'web', effect: 'NoSchedule' }],
    priorityClassName: priority.name,
    secretMounts: [{ secretName: 'web-secrets', mountPath: '/etc/web' }],
  });
  new DefaultServiceAccount(chart, 'default-sa', { imagePullSecrets: [regcred], workloads: [web] });
  // A later escape-hatch change keeps the construction-time toleration (issue 16).
  web.deployment.scheduling.tolerate(kplus.Node.tainted(kplus.NodeTaintQuery.exists('maintenance', { effect: kplus.TaintEffect.NO_SCHEDULE })));
  addFluentBitSidecar(web, { output: { kind: 'forward', host: 'fluentd.logging.svc', tls: true }, outputPeer: { namespace: 'logging', podLabels: { app: 'fluentd' } } });
  const tracing = { kind: 'jaeger-agent', serviceName: 'web-service' } as const;
  addTracing(web, web.container, tracing);
  allowTracingEgress(web, tracing, { cidr: '10.0.0.0/16' });
  new SecureIngress(chart, 'edge', { routes: [{ host: 'www.company.com', backend: web }] });
  new WorkloadMonitor(chart, 'monitor', { workload: web });
  new WorkloadAlertRules(chart, 'alerts', { workload: web });
}

describe("scenario: document 002's deploy flow", () => {
  const { manifests, files } = checkedSynth(deployFlow, { pullPaths: { privateRegistries: [REGISTRY] } });

  test('synthesizes with the wiring and pull-path checks on', () => {
    expect(files).toEqual(['cluster.k8s.yaml', 'web.k8s.yaml']);
  });

  test('schedules as documented and keeps the later toleration', () => {
    const pod = manifests.find((o) => o.kind === 'Deployment').spec.template.spec;
    expect(pod.priorityClassName).toBe('business-critical');
    expect(pod.tolerations).toEqual([
      { effect: 'NoSchedule', key: 'dedicated', operator: 'Equal', value: 'web' },
      { effect: 'NoSchedule', key: 'maintenance', operator: 'Exists' },
    ]);
    expect(pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions).toEqual([{ key: 'node-pool', operator: 'In', values: ['web'] }]);
    expect(pod.imagePullSecrets).toEqual([{ name: 'regcred' }]);
  });

  test('opens the log and tracing egress; alerts only on what exists (no HPA alert)', () => {
    const policy = manifests.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'web-service-flows');
    expect(policy.spec.egress).toEqual(expect.arrayContaining([
      { to: [{ ipBlock: { cidr: '10.0.0.0/16' } }], ports: [{ port: 6831, protocol: 'UDP' }] },
      { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'logging' } }, podSelector: { matchLabels: { app: 'fluentd' } } }], ports: [{ port: 24224, protocol: 'TCP' }] },
    ]));
    const alerts = manifests.find((o) => o.kind === 'PrometheusRule').spec.groups[0].rules.map((r: any) => r.alert);
    expect(alerts).not.toContain('WorkloadHpaMaxedOut');
    expect(alerts).toContain('WorkloadCpuSaturation');
  });
});
