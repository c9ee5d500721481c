import { ApiObject, Chart, Testing } from 'cdk8s';
import { createBundledApps } from '../../apps/bundled-app';
import { ClusterBaselineStack } from '../../apps/cluster-baseline-stack';
import { CLOUDS } from '../../apps/config/shop-config';
import { production } from '../../apps/config/production';
import { ShopStack } from '../../apps/shop-stack';
import { addPolicyPack } from '../../apps/parts/policy';
import { checkPolicies, enforcePolicies, PolicyPack } from '../../lib/policy';
import { collectPolicyManifests } from '../../lib/policy/check-policies';
import { ruleAppliesTo } from '../../lib/policy/policy-pack';
import { deployment } from '../policy/fixtures';

describe('addPolicyPack', () => {
  test('adds a Gatekeeper template and constraint per default rule to the cluster chart', () => {
    const chart = Testing.chart();
    addPolicyPack(chart);
    const out = Testing.synth(chart);
    expect(out.filter((o) => o.kind === 'ConstraintTemplate').map((o) => o.metadata.name)).toEqual([
      'k8srequiredlabels', 'k8scontainerresources', 'k8sdisallowedtags', 'k8srequiredprobes', 'k8spssrestricted', 'k8sreadonlyrootfilesystem',
      'k8sallowedvolumetypes', 'k8sblockhostaccess', 'k8sinternalloadbalancer',
    ]);
    expect(out.filter((o) => o.apiVersion === 'constraints.gatekeeper.sh/v1beta1').map((o) => o.kind)).toEqual([
      'K8sRequiredLabels', 'K8sContainerResources', 'K8sDisallowedTags', 'K8sRequiredProbes', 'K8sPSSRestricted', 'K8sReadOnlyRootFilesystem',
      'K8sAllowedVolumeTypes', 'K8sBlockHostAccess', 'K8sInternalLoadBalancer',
    ]);
  });

  test('passes rule options through and can emit ValidatingAdmissionPolicies too', () => {
    const chart = Testing.chart();
    const policies = addPolicyPack(chart, {
      rules: { 'allowed-registries': { parameters: { repos: ['registry.example.com/'] } } },
      admissionPolicies: true,
      enforcementAction: 'warn',
    });
    const out = Testing.synth(chart);
    expect(out.find((o) => o.kind === 'K8sAllowedRepos')).toMatchObject({ spec: { enforcementAction: 'warn', parameters: { repos: ['registry.example.com/'] } } });
    expect(out.filter((o) => o.kind === 'ValidatingAdmissionPolicy').map((o) => o.metadata.name)).toEqual(
      policies.node.findAll().flatMap((c) => (c as any).policyNames ?? []));
    expect(out.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'guardrails-allowed-registries')?.data).toEqual({ repos: 'registry.example.com/' });
  });

  test('the returned pack checks the app before synth', () => {
    const app = Testing.app();
    const cluster = new Chart(app, 'cluster');
    const policies = addPolicyPack(cluster);
    const shop = new Chart(app, 'shop', { namespace: 'production' });
    new ApiObject(shop, 'api', deployment() as any);
    expect(() => checkPolicies(app, policies.pack)).not.toThrow();
    new ApiObject(shop, 'debug', deployment((d) => { d.metadata.name = 'debug'; d.spec.template.spec.hostNetwork = true; }) as any);
    expect(() => checkPolicies(app, policies.pack)).toThrow(/\[shop\/debug\] Deployment production\/debug violates K8sBlockHostAccess \(host-access\)/);
  });
});

describe('the bundled app stacks', () => {
  test.each(createBundledApps('dist', { env: {} }).map((b) => [b.folder, b.app] as const))(
    '%s passes every rule of the default policy pack', (folder, app) => {
      const pack = new PolicyPack();
      const manifests = collectPolicyManifests(app);
      if (!folder.endsWith('/cluster')) {
        // every workload is covered by the pod rules
        for (const kind of ['Deployment', 'StatefulSet']) {
          const covered = pack.rules.filter((r) => manifests.some((m) => m.manifest.kind === kind && ruleAppliesTo(r, m.manifest)));
          expect(covered.map((r) => r.rule.id)).toEqual(expect.arrayContaining(['container-resources', 'disallowed-tags', 'required-probes', 'pss-restricted', 'host-access']));
        }
      }
      expect(pack.evaluate(manifests)).toEqual([]);
      expect(() => checkPolicies(app, pack)).not.toThrow();
    });
});

describe('immutable tags in the bundled production stacks', () => {
  // Issue 14, item 6: floating tags passed although they move under running pods like latest.
  test('a floating release tag fails production and passes staging', () => {
    const apps = createBundledApps('dist', { env: { IMAGE_TAG: 'stable' } });
    const verdict = (folder: string) => {
      const b = apps.find((a) => a.folder === folder)!;
      return b.policies.evaluate(collectPolicyManifests(b.app)).map((v) => v.ruleId);
    };
    expect(new Set(verdict('aws/production'))).toEqual(new Set(['immutable-tags']));
    expect(verdict('aws/staging')).toEqual([]);
    const message = (() => { try { checkPolicies(apps.find((a) => a.folder === 'alibaba/production')!.app, apps[0].policies); return ''; } catch (e) { return (e as Error).message; } })();
    expect(message).toMatch(/violates K8sImmutableTags \(immutable-tags\):\n  - every image needs a digest, an x\.y\.z tag or a build id \[images: postgres:15\.17\]\n  fix: pin the exact release \(nginx:1\.27\.3/);
  });

  test('the cluster baseline turns immutable-tags on for production only, with the Postgres tag listed', () => {
    const baseline = new ClusterBaselineStack(Testing.app(), 'cluster-baseline', { cloud: CLOUDS.aws });
    const rule = baseline.policies.pack.rules.find((r) => r.rule.id === 'immutable-tags')!;
    expect(rule.namespaces).toEqual(['production']);
    expect(rule.parameters).toEqual({ images: ['postgres:15.17'] });
    const out = Testing.synth(baseline);
    expect(out.filter((o) => o.kind === 'ValidatingAdmissionPolicy').map((o) => o.metadata.name)).toEqual(expect.arrayContaining([
      'guardrails-immutable-tags-workloads', 'guardrails-pss-restricted-pods', 'guardrails-read-only-root-filesystem-cronjobs', 'guardrails-required-labels',
    ]));
  });
});

describe('the pack wired into the bundled apps', () => {
  test.each(['aws', 'alibaba'] as const)('%s: the cluster baseline emits the pack and enforcePolicies holds both apps to it', (cloud) => {
    // GIVEN the cluster app, whose baseline chart carries the pack
    const cluster = Testing.app();
    const baseline = new ClusterBaselineStack(cluster, 'cluster-baseline', { cloud: CLOUDS[cloud] });
    const policies = baseline.policies;
    enforcePolicies(cluster, policies.pack);
    // AND an environment app checked against the same pack
    const app = Testing.app();
    new ShopStack(app, 'shop', { config: production, cloud: CLOUDS[cloud], storageClass: baseline.storage.fastSsd });
    enforcePolicies(app, policies.pack);
    // THEN both synthesize, and the cluster chart carries every template and constraint
    expect(() => cluster.synth()).not.toThrow();
    expect(() => app.synth()).not.toThrow();
    const out = Testing.synth(baseline);
    expect(out.filter((o) => o.kind === 'ConstraintTemplate')).toHaveLength(policies.pack.rules.length);
  });
});
