/**
 * The harness must fail, with the server's own message, on what the server refuses: a Deployment
 * with a field the API does not have, and a pod PodSecurity denies; and it must see the server's
 * warnings. Without these, a harness that
 * silently dropped fields or skipped admission would pass every dist/ check.
 */
import { admitPod, applyObjects, applyTarget, diffStored, privilegedPod } from './support/apply';
import { KubeServer, startKubeServer } from './support/kube-server';
import { serverVersions } from './support/targets';

describe.each(serverVersions())('negative controls on kube-apiserver %s', (version) => {
  let server: KubeServer;
  beforeAll(async () => { server = await startKubeServer({ version }); });
  afterAll(async () => { await server?.stop(); });

  const namespace = {
    apiVersion: 'v1', kind: 'Namespace',
    metadata: { name: 'shop', labels: { 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'latest' } },
  };
  const deployment = (extra: Record<string, unknown> = {}) => ({
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name: 'api', namespace: 'shop' },
    spec: {
      selector: { matchLabels: { app: 'api' } },
      template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'api', image: 'registry.example/api:1.0.0', ...extra }] } },
    },
  });

  test('a Deployment with an unknown field fails with the server\'s message', () => {
    expect(() => applyTarget(server, [namespace, deployment({ imagePullPolicyy: 'Always' })], 'negative-control'))
      // kubectl checks against the server's published OpenAPI, or the server itself answers
      // (field validation Strict); either way the message names the field.
      .toThrow(/Kubernetes v1\.\d+\.\d+ refused an object[\s\S]*unknown field \\?"[a-z.[\]0-9]*imagePullPolicyy\\?"/);
  });

  test('a warning of the server (a fractional byte quantity) is returned, so dist/ checks can demand none', () => {
    const resources = { requests: { memory: '100m' } };
    const { warnings } = applyTarget(server, [namespace, { ...deployment({ resources }), metadata: { name: 'warned', namespace: 'shop' } }], 'negative-control');
    expect(warnings.join('\n')).toMatch(/^Warning: .*fractional byte value "100m" is invalid/m);
  });

  test('a field stored differently from what was applied is reported', () => {
    applyObjects(server, [namespace], 'negative-control', 'namespace');
    const pod = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'shop' }, data: { a: 'x' } };
    applyObjects(server, [pod], 'negative-control', 'configmap');
    expect(diffStored(server, [{ ...pod, data: { a: 'y' } }])).toEqual(['ConfigMap shop/c: .data.a: applied "y", stored "x"']);
  });

  test('a privileged, host-network, root pod is denied by PodSecurity with the server\'s message', () => {
    // No controllers run, so the namespace has no `default` ServiceAccount: name our own.
    applyObjects(server, [namespace, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'api', namespace: 'shop' } }], 'negative-control', 'namespace');
    const message = admitPod(server, privilegedPod('shop', 'api'));
    expect(message).toMatch(/violates PodSecurity "restricted:latest": host namespaces \(hostNetwork=true\), privileged \(container "root" must not set securityContext.privileged=true\)/);
  });
});
