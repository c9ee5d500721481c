import { parse } from 'yaml';
import { GuardrailError } from '../common/errors';
import type { BeforeWriteHook } from '../synth/synth-app';
import { parseImageReference } from '../workload/image-reference';

type Json = Record<string, any>;

/** One object with the construct path that rendered it, when known. */
export interface CheckedObject {
  /** The resolved manifest. */
  readonly manifest: Json;
  /** The construct path, for the message. @default - none */
  readonly path?: string;
}

/** Options of {@link findMissingPullPaths}. */
export interface PullPathCheckOptions {
  /**
   * The registries whose images need credentials: a host (`myregistry.com`), a host and path
   * prefix (`registry.cn-hangzhou.aliyuncs.com/shop`), or a `*.` domain suffix (`*.aliyuncs.com`).
   */
  readonly privateRegistries: readonly string[];
  /**
   * Objects another app deploys to the same cluster that grant pull paths too: the cluster
   * baseline's `acr-configuration` ConfigMap, ServiceAccounts managed elsewhere. A function is
   * called when the check runs, so it can read an app synthesized earlier.
   * @default []
   */
  readonly clusterObjects?: readonly Json[] | (() => readonly Json[]);
}

/** A pod whose private image no pull path reaches. */
export interface PullPathFinding {
  /** `Deployment production/frontend`. */
  readonly pod: string;
  /** The construct path of the object, when known. */
  readonly path?: string;
  /** The image. */
  readonly image: string;
  /** What is wrong and the fix. */
  readonly message: string;
}

interface AcrHelper {
  readonly namespaces: readonly string[] | 'all';
  readonly serviceAccounts: readonly string[] | '*';
  /** Registry domains it fetches credentials for; undefined: every domain of the instances (any `*.aliyuncs.com`). */
  readonly domains?: readonly string[];
}

function templateSpec(o: Json): Json | undefined {
  switch (o.kind) {
    case 'Pod': return o.spec;
    case 'Deployment': case 'StatefulSet': case 'DaemonSet': case 'ReplicaSet': case 'Job': return o.spec?.template?.spec;
    case 'CronJob': return o.spec?.jobTemplate?.spec?.template?.spec;
    default: return undefined;
  }
}

function registryMatches(pattern: string, host: string, repository: string): boolean {
  if (pattern.startsWith('*.')) return host.endsWith(pattern.slice(1));
  const [patternHost, ...prefix] = pattern.split('/');
  if (patternHost !== host) return false;
  return prefix.length === 0 || `${repository}/`.startsWith(`${prefix.join('/')}/`);
}

function acrHelpersOf(objects: readonly Json[]): AcrHelper[] {
  return objects
    .filter((o) => o.kind === 'ConfigMap' && o.metadata?.name === 'acr-configuration' && o.metadata?.namespace === 'kube-system')
    .map((o) => {
      const data: Record<string, string> = o.data ?? {};
      const list = (text: string | undefined, fallback: string) => (text ?? fallback).split(',').map((x) => x.trim()).filter((x) => x !== '');
      const namespaces = data['watch-namespace'] === 'all' ? 'all' : list(data['watch-namespace'], 'default');
      const serviceAccounts = data['service-account'] === '*' ? '*' : list(data['service-account'], 'default');
      const registries: Json[] = data['acr-registry-info'] ? (parse(data['acr-registry-info']) ?? []) : [];
      const everyDomain = registries.length === 0 || registries.some((r) => r.domains === undefined);
      const domains = everyDomain ? undefined : registries.flatMap((r) => String(r.domains).split(',').map((d) => d.trim()));
      return { namespaces, serviceAccounts, domains };
    });
}

/**
 * Every pod (template) whose image comes from a registry that needs credentials and that no pull
 * path reaches. A pull path is one of: `imagePullSecrets` on the pod; its ServiceAccount (named, or
 * `default`) declared with `imagePullSecrets`; an ACK `acr-configuration` that watches the pod's
 * namespace, serves its ServiceAccount and fetches credentials for the image's domain.
 */
export function findMissingPullPaths(objects: readonly CheckedObject[], options: PullPathCheckOptions): PullPathFinding[] {
  const cluster = typeof options.clusterObjects === 'function' ? options.clusterObjects() : options.clusterObjects ?? [];
  const all = [...objects.map((o) => o.manifest), ...cluster];
  const accountsWithSecrets = new Set(all
    .filter((o) => o.kind === 'ServiceAccount' && (o.imagePullSecrets ?? []).length > 0)
    .map((o) => `${o.metadata?.namespace ?? 'default'}/${o.metadata?.name}`));
  const helpers = acrHelpersOf(all);
  const findings: PullPathFinding[] = [];
  for (const { manifest, path } of objects) {
    const spec = templateSpec(manifest);
    if (spec === undefined) continue;
    const namespace: string = manifest.metadata?.namespace ?? 'default';
    const account: string = spec.serviceAccountName ?? 'default';
    if ((spec.imagePullSecrets ?? []).length > 0 || accountsWithSecrets.has(`${namespace}/${account}`)) continue;
    const containers: Json[] = [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
    for (const container of containers) {
      const image: string = container.image ?? '';
      const ref = parseImageReference(image);
      const host = ref?.registry ?? 'docker.io';
      const registry = options.privateRegistries.find((r) => registryMatches(r, host, ref?.repository ?? ''));
      if (registry === undefined) continue;
      const helped = helpers.some((h) => (h.namespaces === 'all' || h.namespaces.includes(namespace))
        && (h.serviceAccounts === '*' || h.serviceAccounts.includes(account))
        && (h.domains === undefined ? host.endsWith('.aliyuncs.com') : h.domains.includes(host)));
      if (helped) continue;
      const pod = `${manifest.kind} ${namespace}/${manifest.metadata?.name}`;
      findings.push({
        pod, path, image,
        message: `${pod}${path ? ` (${path})` : ''}: container ${JSON.stringify(container.name)} pulls ${JSON.stringify(image)} from the private registry ${JSON.stringify(registry)}, `
          + `but no pull path reaches the pod: it names no imagePullSecrets, its ServiceAccount ${JSON.stringify(account)} carries none, and no ACR credential helper serves ServiceAccount ${JSON.stringify(account)} in namespace ${JSON.stringify(namespace)} for ${JSON.stringify(host)}. `
          + "Fix: pass the pull secret in the workload's 'imagePullSecrets' (or list the workload in DefaultServiceAccount 'workloads'), or list the workload in AcrCredentialHelper 'workloads'.",
      });
    }
  }
  return findings;
}

/** Throws a {@link GuardrailError} listing every finding of {@link findMissingPullPaths}. */
export function checkPullPaths(objects: readonly CheckedObject[], options: PullPathCheckOptions): void {
  const findings = findMissingPullPaths(objects, options);
  if (findings.length > 0) {
    throw new GuardrailError(`Pull-path check: ${findings.length} pod(s) would fail with ImagePullBackOff:\n${findings.map((f) => `- ${f.message}`).join('\n')}`);
  }
}

/**
 * A `synthApp` `beforeWrite` hook running {@link checkPullPaths} on each app's resolved objects
 * before anything is written.
 */
export function pullPathCheckHook(options: PullPathCheckOptions): BeforeWriteHook {
  return (charts) => checkPullPaths(charts.flatMap((c) => c.objects.map((o) => ({ manifest: o.manifest, path: o.apiObject.node.path }))), options);
}
