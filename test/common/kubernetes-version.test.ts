import { App, Chart, Testing } from 'cdk8s';
import {
  admissionPolicyApiVersionFor, KUBERNETES_VERSIONS, kubernetesVersionOf, podSecurityVersionFor, setKubernetesVersion,
} from '../../lib/common/kubernetes-version';
import { RestrictedNamespace } from '../../lib/namespace';
import { AdmissionPolicy, PolicyPack } from '../../lib/policy';

const rule = new PolicyPack().rules.find((r) => r.rule.id === 'required-labels')!;

describe('target Kubernetes version', () => {
  test('defaults to 1.28 when nothing sets it', () => {
    expect(kubernetesVersionOf(Testing.chart())).toBe('1.28');
  });

  test('the ValidatingAdmissionPolicy API is v1 from 1.30 and v1beta1 before', () => {
    expect(KUBERNETES_VERSIONS.map((v) => [v, admissionPolicyApiVersionFor(v)])).toEqual(KUBERNETES_VERSIONS.map((v) =>
      [v, Number(v.split('.')[1]) >= 30 ? 'admissionregistration.k8s.io/v1' : 'admissionregistration.k8s.io/v1beta1']));
  });

  test('a version set on the app pins namespaces and admission policies below it', () => {
    const app = new App();
    setKubernetesVersion(app, '1.37');
    const chart = new Chart(app, 'cluster');
    new RestrictedNamespace(chart, 'ns', { name: 'production' });
    new AdmissionPolicy(chart, 'labels', { rule });
    const out = Testing.synth(chart);
    const ns = out.find((o) => o.kind === 'Namespace');
    for (const mode of ['enforce', 'audit', 'warn']) expect(ns.metadata.labels[`pod-security.kubernetes.io/${mode}-version`]).toBe('v1.37');
    expect(out.filter((o) => o.kind.startsWith('ValidatingAdmissionPolicy')).map((o) => o.apiVersion))
      .toEqual(['admissionregistration.k8s.io/v1', 'admissionregistration.k8s.io/v1']);
  });

  test('on 1.28 the policies stay v1beta1 and the labels v1.28', () => {
    const app = new App();
    setKubernetesVersion(app, '1.28');
    const chart = new Chart(app, 'cluster');
    new RestrictedNamespace(chart, 'ns', { name: 'production' });
    new AdmissionPolicy(chart, 'labels', { rule });
    const out = Testing.synth(chart);
    expect(out.find((o) => o.kind === 'Namespace').metadata.labels['pod-security.kubernetes.io/enforce-version']).toBe(podSecurityVersionFor('1.28'));
    expect(out.find((o) => o.kind === 'ValidatingAdmissionPolicy').apiVersion).toBe('admissionregistration.k8s.io/v1beta1');
  });

  test('explicit props win over the scope\'s target', () => {
    const app = new App();
    setKubernetesVersion(app, '1.37');
    const chart = new Chart(app, 'cluster');
    const ns = new RestrictedNamespace(chart, 'ns', { name: 'production', podSecurityVersion: 'latest' });
    new AdmissionPolicy(chart, 'labels', { rule, kubernetesVersion: '1.29' });
    expect(ns.podSecurityVersion).toBe('latest');
    expect(Testing.synth(chart).find((o) => o.kind === 'ValidatingAdmissionPolicy').apiVersion).toBe('admissionregistration.k8s.io/v1beta1');
  });

  test('an unknown version fails with the construct path, the value and the supported list', () => {
    const app = new App();
    expect(() => setKubernetesVersion(app, '1.27' as any)).toThrow(
      "App '': kubernetesVersion '1.27' is not a supported target; use one of '1.28', '1.29', '1.30', '1.31', '1.32', '1.33', '1.34', '1.35', '1.36', '1.37' (the minor of the cluster, e.g. '1.37').");
  });
});
