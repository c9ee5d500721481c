import { Testing } from 'cdk8s';
import { PodSecurityAdmissionDefaults, PodSecurityAdmissionDefaultsProps } from '../../lib/cluster';
import { nodeChart } from './fixtures';

function psa(props: Partial<PodSecurityAdmissionDefaultsProps> = {}) {
  const chart = nodeChart();
  new PodSecurityAdmissionDefaults(chart, 'psa', { version: 'v1.28', ...props });
  return Testing.synth(chart)[0];
}

describe('PodSecurityAdmissionDefaults', () => {
  test('CIS 5.2.1 (an active policy control mechanism): restricted enforce/audit/warn at a pinned version cluster-wide, kube-system exempt', () => {
    expect(psa()).toEqual({
      apiVersion: 'apiserver.config.k8s.io/v1',
      kind: 'AdmissionConfiguration',
      plugins: [{
        name: 'PodSecurity',
        configuration: {
          apiVersion: 'pod-security.admission.config.k8s.io/v1',
          kind: 'PodSecurityConfiguration',
          defaults: { 'enforce': 'restricted', 'enforce-version': 'v1.28', 'audit': 'restricted', 'audit-version': 'v1.28', 'warn': 'restricted', 'warn-version': 'v1.28' },
          exemptions: { usernames: [], runtimeClasses: [], namespaces: ['kube-system'] },
        },
      }],
    });
  });
  test('baseline enforced with restricted warnings, more exemptions (sorted)', () => {
    const doc = psa({ enforce: 'baseline', exemptNamespaces: ['tigera-operator', 'kube-system'], exemptUsernames: ['system:serviceaccount:ci:deployer'] });
    const cfg = doc.plugins[0].configuration;
    expect(cfg.defaults.enforce).toBe('baseline');
    expect(cfg.defaults.warn).toBe('restricted');
    expect(cfg.exemptions).toEqual({ usernames: ['system:serviceaccount:ci:deployer'], runtimeClasses: [], namespaces: ['kube-system', 'tigera-operator'] });
  });
  test.each([
    [{ version: '1.28' }, "PodSecurityAdmissionDefaults 'node-files/psa': version '1.28' is not a Pod Security Standards version: write the target minor release, e.g. 'v1.28', or 'latest'."],
    [{ enforce: 'strict' as never }, "enforce 'strict' is not a Pod Security Standards level"],
    [{ audit: 'baseline' as const }, "audit 'baseline' is looser than enforce 'restricted', so it never reports anything enforce lets through: set audit to 'restricted' or stricter."],
    [{ exemptNamespaces: ['Kube_System'] }, 'exemptNamespaces entry'],
    [{ exemptUsernames: [''] }, 'exemptUsernames has an empty entry'],
  ])('throws for %j', (props, message) => {
    expect(() => psa(props)).toThrow(message);
  });
});
