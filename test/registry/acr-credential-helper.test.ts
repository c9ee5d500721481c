import { Duration, Testing } from 'cdk8s';
import { parse } from 'yaml';
import { AcrCredentialHelper, AcrCredentialHelperProps } from '../../lib/registry';
import { isAlibabaRegionId, isRamRoleArn } from '../../lib/registry/acr-credential-helper';

function synth(props?: AcrCredentialHelperProps) {
  const c = Testing.chart();
  (c as any).namespace = 'production';
  new AcrCredentialHelper(c, 'acr', props);
  return Testing.synth(c)[0];
}

describe('AcrCredentialHelper', () => {
  test('defaults: acr-configuration in kube-system, default SA and namespace, 15m threshold, default instance', () => {
    expect(synth()).toEqual({
      apiVersion: 'v1', kind: 'ConfigMap',
      metadata: { name: 'acr-configuration', namespace: 'kube-system' },
      data: { 'acr-registry-info': '', 'expiring-threshold': '15m', 'service-account': 'default', 'watch-namespace': 'default' },
    });
  });

  test('same account: one Enterprise Edition instance with its domains', () => {
    const cm = synth({ watchNamespaces: ['production', 'staging'], serviceAccounts: ['default', 'user-service'], notifyEmail: 'ops@company.com', registries: [{ instanceId: 'cri-abc123', regionId: 'cn-hangzhou', domains: ['company-registry.cn-hangzhou.cr.aliyuncs.com', 'company-registry-vpc.cn-hangzhou.cr.aliyuncs.com'] }] });
    expect(cm.data['watch-namespace']).toBe('production,staging');
    expect(cm.data['service-account']).toBe('default,user-service');
    expect(cm.data['notify-email']).toBe('ops@company.com');
    expect(parse(cm.data['acr-registry-info'])).toEqual([{ instanceId: 'cri-abc123', regionId: 'cn-hangzhou', domains: 'company-registry.cn-hangzhou.cr.aliyuncs.com,company-registry-vpc.cn-hangzhou.cr.aliyuncs.com' }]);
  });

  test('cross region: one entry per instance and region', () => {
    const cm = synth({ registries: [{ instanceId: 'cri-beijing1', regionId: 'cn-beijing' }, { instanceId: 'cri-hangzhou1', regionId: 'cn-hangzhou' }] });
    expect(parse(cm.data['acr-registry-info'])).toEqual([{ instanceId: 'cri-beijing1', regionId: 'cn-beijing' }, { instanceId: 'cri-hangzhou1', regionId: 'cn-hangzhou' }]);
  });

  test('cross account: assumeRoleARN and expireDuration', () => {
    const cm = synth({ registries: [{ instanceId: 'cri-other1', regionId: 'ap-southeast-1', assumeRoleArn: 'acs:ram::1234567890123456:role/acr-pull', expireDuration: Duration.hours(1) }] });
    expect(cm.data['acr-registry-info']).toBe('- instanceId: cri-other1\n  regionId: ap-southeast-1\n  assumeRoleARN: acs:ram::1234567890123456:role/acr-pull\n  expireDuration: 3600\n');
  });

  test('default and Enterprise Edition instances together', () => {
    const cm = synth({ watchNamespaces: 'all', serviceAccounts: '*', registries: [{ regionId: 'cn-hangzhou' }, { instanceId: 'cri-abc123', regionId: 'cn-hangzhou' }] });
    expect(cm.data['watch-namespace']).toBe('all');
    expect(cm.data['service-account']).toBe('*');
    expect(parse(cm.data['acr-registry-info'])).toEqual([{ instanceId: '', regionId: 'cn-hangzhou' }, { instanceId: 'cri-abc123', regionId: 'cn-hangzhou' }]);
  });

  test.each([['hangzhou'], ['cn_hangzhou'], ['CN-HANGZHOU'], ['us-west1'], ['']])('throws for the region id %s', (regionId) => {
    expect(() => synth({ registries: [{ instanceId: 'cri-a1', regionId }] })).toThrow(/AcrCredentialHelper 'test\/acr': registries\[0\].regionId '.*' is not an Alibaba Cloud region id: use e.g. 'cn-hangzhou'/);
  });

  test.each([['arn:aws:iam::123456789012:role/x'], ['acs:ram::abc:role/x'], ['acs:ram::123:user/x'], ['acs:ram:cn-hangzhou:123:role/x']])('throws for the role ARN %s', (assumeRoleArn) => {
    expect(() => synth({ registries: [{ instanceId: 'cri-a1', assumeRoleArn }] })).toThrow(/registries\[0\].assumeRoleArn '.*' is not a RAM role ARN: use 'acs:ram::<account-id>:role\/<role-name>'/);
  });

  test('throws for bad durations', () => {
    expect(() => synth({ expiringThreshold: Duration.hours(1) })).toThrow(/'expiringThreshold' \(3600s\) is not allowed: use a whole number of seconds from 60s to 3599s/);
    expect(() => synth({ expiringThreshold: Duration.seconds(30) })).toThrow(/'expiringThreshold' \(30s\) is not allowed/);
    expect(() => synth({ registries: [{ instanceId: 'cri-a1', assumeRoleArn: 'acs:ram::1:role/r', expireDuration: Duration.minutes(5) }] })).toThrow(/registries\[0\].expireDuration \(300s\) is not allowed: use whole seconds from 900 to 43200/);
    expect(() => synth({ registries: [{ instanceId: 'cri-a1', expireDuration: Duration.hours(1) }] })).toThrow(/registries\[0\].expireDuration is set without assumeRoleArn/);
  });

  test('throws for a bad email, instance id, domain, namespace or service account', () => {
    expect(() => synth({ notifyEmail: 'ops' })).toThrow(/notifyEmail 'ops' is not an e-mail address/);
    expect(() => synth({ registries: [{ instanceId: 'abc' }] })).toThrow(/registries\[0\].instanceId 'abc' is not an ACR Enterprise Edition instance id/);
    expect(() => synth({ registries: [{ domains: ['https://x.cr.aliyuncs.com'] }] })).toThrow(/registries\[0\].domains entry 'https:\/\/x.cr.aliyuncs.com' is not a registry domain/);
    expect(() => synth({ registries: [{ domains: [] }] })).toThrow(/registries\[0\].domains is empty/);
    expect(() => synth({ watchNamespaces: ['Prod'] })).toThrow(/watch namespace 'Prod' is not a valid namespace/);
    expect(() => synth({ watchNamespaces: [] })).toThrow(/'watchNamespaces' is empty/);
    expect(() => synth({ serviceAccounts: ['Bad SA'] })).toThrow(/service account 'Bad SA' is not a valid ServiceAccount name/);
    expect(() => synth({ serviceAccounts: [] })).toThrow(/'serviceAccounts' is empty/);
  });

  test('region and ARN predicates accept the documented forms', () => {
    for (const r of ['cn-hangzhou', 'cn-beijing', 'ap-southeast-1', 'cn-shanghai-finance-1', 'us-west-1', 'eu-central-1', 'me-east-1']) expect(isAlibabaRegionId(r)).toBe(true);
    expect(isRamRoleArn('acs:ram::1234567890123456:role/acr-pull')).toBe(true);
  });
});
