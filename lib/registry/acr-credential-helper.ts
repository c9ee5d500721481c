import { Duration } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { stringify } from 'yaml';
import { fail, show } from '../common/errors';
import { isDns1123Label, isDns1123Subdomain } from '../common/validation';
import { isEmail } from '../ingress/acme-cluster-issuer';
import { isIngressHost } from '../ingress/hosts';
import { goDuration } from '../secrets/go-duration';
import type { IWorkload } from '../workload/workload';

/** One Container Registry (ACR) instance the helper fetches temporary credentials for. */
export interface AcrRegistry {
  /**
   * The Enterprise Edition instance id (`cri-...`). Required for Enterprise Edition.
   * @default - the Personal Edition (default) instance: written as `instanceId: ""`
   */
  readonly instanceId?: string;
  /** The region of the instance; needed to pull across regions. @default - the cluster's region */
  readonly regionId?: string;
  /** The domains (public and VPC endpoints) to fetch credentials for. @default - all of the instance's */
  readonly domains?: string[];
  /**
   * A RAM role of the registry owner's account to assume, for cross-account pulls:
   * `acs:ram::<account-id>:role/<role-name>`. @default - the cluster's own account
   */
  readonly assumeRoleArn?: string;
  /** The session duration of the assumed role (900s to 12h). @default - the helper's 3600s */
  readonly expireDuration?: Duration;
}

/** Props of {@link AcrCredentialHelper}. */
export interface AcrCredentialHelperProps {
  /**
   * The ServiceAccounts that get the generated pull secret, or `'*'` for all of them. The
   * ServiceAccounts of `workloads` are added to the list.
   * @default - ['default'] without `workloads`, else only the workloads' accounts
   */
  readonly serviceAccounts?: string[] | '*';
  /**
   * The namespaces to watch, or `'all'`. Name your business namespaces: Alibaba Cloud advises
   * against `all` and system namespaces. The namespaces of `workloads` are added to the list.
   * @default - ['default'] without `workloads`, else only the workloads' namespaces
   */
  readonly watchNamespaces?: string[] | 'all';
  /**
   * The workloads whose pods pull from ACR: each runs under its own ServiceAccount (not
   * `default`), which the helper must serve, in its namespace, which it must watch.
   * @default []
   */
  readonly workloads?: IWorkload[];
  /** Renew a cached token this long before it expires (under the 1h token life). @default Duration.minutes(15) */
  readonly expiringThreshold?: Duration;
  /** Where to send notices about credential problems. @default - none */
  readonly notifyEmail?: string;
  /** The ACR instances. @default [] — the default (Personal Edition) instance of the cluster's region */
  readonly registries?: AcrRegistry[];
}

/** Alibaba Cloud region ids: `cn-hangzhou`, `ap-southeast-1`, `cn-shanghai-finance-1`, `us-west-1`. */
const REGION = /^(cn|ap|eu|us|me|na|sa|af)-[a-z]+(-[a-z]+)*(-\d+)?$/;
const INSTANCE_ID = /^cri-[a-z0-9]+$/;
const RAM_ROLE_ARN = /^acs:ram::\d{1,20}:role\/[A-Za-z0-9._-]{1,64}$/;

/** True when `region` has the form of an Alibaba Cloud region id. */
export function isAlibabaRegionId(region: string): boolean {
  return REGION.test(region);
}

/** True when `arn` is a RAM role ARN `acs:ram::<account-id>:role/<role-name>`. */
export function isRamRoleArn(arn: string): boolean {
  return RAM_ROLE_ARN.test(arn);
}

/**
 * The `acr-configuration` ConfigMap in `kube-system` that configures ACK's
 * `aliyun-acr-credential-helper` add-on: it fetches temporary ACR credentials and attaches them
 * as pull secrets to the chosen ServiceAccounts, so no long-lived registry password is stored.
 * Covers the documented set-ups: same account, cross region (`regionId`), cross account
 * (`assumeRoleArn`), and default + Enterprise Edition instances together.
 */
export class AcrCredentialHelper extends Construct {
  /** The ConfigMap data, as written. */
  public readonly data: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: AcrCredentialHelperProps = {}) {
    super(scope, id);
    const workloads = props.workloads ?? [];
    for (const w of workloads) {
      if (w.namespace === undefined) fail(this, `workload ${show(w.name)} has no namespace, so the helper cannot watch it: set the namespace of its chart.`);
    }
    const merge = (given: string[] | undefined, extra: string[]) =>
      [...new Set([...(given ?? (workloads.length === 0 ? ['default'] : [])), ...extra.sort()])];
    const serviceAccounts = props.serviceAccounts === '*' ? '*' : merge(props.serviceAccounts, workloads.map((w) => w.serviceAccountName));
    if (serviceAccounts !== '*') {
      if (serviceAccounts.length === 0) fail(this, "'serviceAccounts' is empty: name at least one ServiceAccount (e.g. ['default']) or use '*'.");
      for (const sa of serviceAccounts) {
        if (!isDns1123Subdomain(sa)) fail(this, `service account ${show(sa)} is not a valid ServiceAccount name: use a DNS-1123 subdomain (e.g. 'default'), or '*' for all.`);
      }
    }
    const namespaces = props.watchNamespaces === 'all' ? 'all' : merge(props.watchNamespaces, workloads.map((w) => w.namespace!));
    if (namespaces !== 'all') {
      if (namespaces.length === 0) fail(this, "'watchNamespaces' is empty: name the business namespaces to serve (e.g. ['production']).");
      for (const ns of namespaces) {
        if (!isDns1123Label(ns)) fail(this, `watch namespace ${show(ns)} is not a valid namespace: use a DNS-1123 label (e.g. 'production'), or 'all'.`);
      }
    }
    const threshold = goDuration(this, 'expiringThreshold', props.expiringThreshold ?? Duration.minutes(15), 60, 3599);
    if (props.notifyEmail !== undefined && !isEmail(props.notifyEmail)) {
      fail(this, `notifyEmail ${show(props.notifyEmail)} is not an e-mail address: give e.g. 'ops@company.com'.`);
    }

    const registries = (props.registries ?? []).map((r, i) => this.registry(r, i));
    const data: Record<string, string> = {
      'acr-registry-info': registries.length === 0 ? '' : stringify(registries, { lineWidth: 0 }),
      'expiring-threshold': threshold,
      'service-account': serviceAccounts === '*' ? '*' : serviceAccounts.join(','),
      'watch-namespace': namespaces === 'all' ? 'all' : namespaces.join(','),
    };
    if (props.notifyEmail !== undefined) data['notify-email'] = props.notifyEmail;
    this.data = Object.fromEntries(Object.entries(data).sort(([a], [b]) => (a < b ? -1 : 1)));

    new k8s.KubeConfigMap(this, 'Resource', {
      metadata: { name: 'acr-configuration', namespace: 'kube-system' },
      data: { ...this.data },
    });
  }

  private registry(r: AcrRegistry, i: number): Record<string, unknown> {
    const where = `registries[${i}]`;
    if (r.instanceId !== undefined && !INSTANCE_ID.test(r.instanceId)) {
      fail(this, `${where}.instanceId ${show(r.instanceId)} is not an ACR Enterprise Edition instance id: use 'cri-' and lowercase letters or digits (e.g. 'cri-abc123'), or leave it out for the default instance.`);
    }
    if (r.regionId !== undefined && !REGION.test(r.regionId)) {
      fail(this, `${where}.regionId ${show(r.regionId)} is not an Alibaba Cloud region id: use e.g. 'cn-hangzhou', 'cn-beijing' or 'ap-southeast-1'.`);
    }
    for (const d of r.domains ?? []) {
      if (!isIngressHost(d) || d.startsWith('*.')) {
        fail(this, `${where}.domains entry ${show(d)} is not a registry domain: give a host name without scheme, e.g. 'company-registry.cn-hangzhou.cr.aliyuncs.com'.`);
      }
    }
    if (r.domains !== undefined && r.domains.length === 0) {
      fail(this, `${where}.domains is empty: list the instance's domains, or leave 'domains' out to use all of them.`);
    }
    if (r.assumeRoleArn !== undefined && !RAM_ROLE_ARN.test(r.assumeRoleArn)) {
      fail(this, `${where}.assumeRoleArn ${show(r.assumeRoleArn)} is not a RAM role ARN: use 'acs:ram::<account-id>:role/<role-name>' (e.g. 'acs:ram::1234567890123456:role/acr-pull').`);
    }
    if (r.expireDuration !== undefined && r.assumeRoleArn === undefined) {
      fail(this, `${where}.expireDuration is set without assumeRoleArn: it is the session length of the assumed role; set assumeRoleArn or drop expireDuration.`);
    }
    const entry: Record<string, unknown> = { instanceId: r.instanceId ?? '' };
    if (r.regionId !== undefined) entry.regionId = r.regionId;
    if (r.domains !== undefined) entry.domains = r.domains.join(',');
    if (r.assumeRoleArn !== undefined) entry.assumeRoleARN = r.assumeRoleArn;
    if (r.expireDuration !== undefined) {
      const seconds = r.expireDuration.toSeconds({ integral: false });
      if (!Number.isInteger(seconds) || seconds < 900 || seconds > 43200) {
        fail(this, `${where}.expireDuration (${seconds}s) is not allowed: use whole seconds from 900 to 43200, at most the RAM role's maximum session duration.`);
      }
      entry.expireDuration = seconds;
    }
    return entry;
  }
}
