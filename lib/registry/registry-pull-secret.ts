import { ApiObject, Duration, JsonPatch } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import { fail, show } from '../common/errors';
import { resolveNamespace } from '../common/namespace';
import { isDns1123Subdomain, validateDns1123Label, validateDns1123Subdomain } from '../common/validation';
import { isIngressHost } from '../ingress/hosts';
import { ExternalSecret } from '../secrets/external-secret';
import { checkSecretSize, PLAINTEXT_SECRET_ANNOTATION, PlaintextOptIn, requirePlaintextOptIn } from '../secrets/literal-secret';
import { ISecretStore } from '../secrets/secret-store';
import type { IPullSecretWorkload } from '../workload/workload';

/** The Secret type of a registry pull secret. */
export const DOCKER_CONFIG_JSON = 'kubernetes.io/dockerconfigjson';

/** A `kubernetes.io/dockerconfigjson` Secret that pods can name in `imagePullSecrets`. */
export interface IRegistryPullSecret extends IConstruct {
  /** The Secret name. */
  readonly secretName: string;
  /** The Secret's namespace, when known. */
  readonly namespace?: string;
}

/** Where the docker config comes from: a secret manager. */
export interface PullSecretFromExternalSecret {
  /** The store to read from. */
  readonly store: ISecretStore;
  /** The remote key whose value is the whole docker config JSON (`{"auths": {...}}`). */
  readonly remoteKey: string;
  /** The property of the remote value that holds it. @default - the whole value */
  readonly property?: string;
  /** How often it is re-read (short for rotating registry tokens). @default Duration.hours(1) */
  readonly refreshInterval?: Duration;
}

/** Literal registry credentials: written into the manifests, so only with an opt-in. */
export interface LiteralRegistryCredentials {
  /** The registry host (e.g. 'registry.company.com', 'myacr-registry.cn-hangzhou.cr.aliyuncs.com'). */
  readonly server: string;
  /** The user name. */
  readonly username: string;
  /** The password or token. */
  readonly password: string;
  /** Required opt-in with the reason, kept as an annotation. @default - refused */
  readonly allowPlaintextInManifests?: PlaintextOptIn;
}

/** Props of {@link RegistryPullSecret}: give exactly one of `fromExternalSecret` and `literal`. */
export interface RegistryPullSecretProps {
  /** The Secret name. @default - the construct id */
  readonly name?: string;
  /** The namespace; pods can only use a pull secret of their own namespace. @default - the chart's namespace, else 'default' */
  readonly namespace?: string;
  /** Read the docker config from a secret manager (recommended). @default - none */
  readonly fromExternalSecret?: PullSecretFromExternalSecret;
  /** Literal credentials, only with `allowPlaintextInManifests`. @default - none */
  readonly literal?: LiteralRegistryCredentials;
}

class ImportedPullSecret extends Construct implements IRegistryPullSecret {
  constructor(scope: Construct, id: string, public readonly secretName: string, public readonly namespace?: string) {
    super(scope, id);
    if (!isDns1123Subdomain(secretName)) {
      fail(this, `secret name ${show(secretName)} is not a valid Secret name: use a DNS-1123 subdomain (e.g. 'regcred').`);
    }
    if (namespace !== undefined) validateDns1123Label(this, 'namespace', namespace);
  }
}

/**
 * A registry pull secret (`kubernetes.io/dockerconfigjson`). By default the credentials never
 * reach the manifests: reference an existing Secret with {@link RegistryPullSecret.fromName}, or
 * have external-secrets write it from a secret manager (`fromExternalSecret`). Literal
 * credentials need `allowPlaintextInManifests` with a reason.
 */
export class RegistryPullSecret extends Construct implements IRegistryPullSecret {
  /** A reference to an existing pull secret (e.g. created by `kubectl create secret docker-registry`). */
  public static fromName(scope: Construct, id: string, secretName: string, namespace?: string): IRegistryPullSecret {
    return new ImportedPullSecret(scope, id, secretName, namespace);
  }

  public readonly secretName: string;
  public readonly namespace: string;
  /** The ExternalSecret that writes the Secret, when it comes from a secret manager. */
  public readonly externalSecret?: ExternalSecret;

  constructor(scope: Construct, id: string, props: RegistryPullSecretProps) {
    super(scope, id);
    this.secretName = props.name ?? id;
    validateDns1123Subdomain(this, 'name', this.secretName);
    this.namespace = resolveNamespace(this, props.namespace);
    if ((props.fromExternalSecret === undefined) === (props.literal === undefined)) {
      fail(this, "give exactly one of 'fromExternalSecret' ({ store, remoteKey }, recommended) and 'literal' (credentials written into the manifests); to use an existing Secret call RegistryPullSecret.fromName(scope, id, 'regcred').");
    }
    if (props.fromExternalSecret !== undefined) {
      const from = props.fromExternalSecret;
      this.externalSecret = new ExternalSecret(this, 'ExternalSecret', {
        name: this.secretName,
        namespace: this.namespace,
        store: from.store,
        // external-secrets' documented pattern: read into a plain key, template it into .dockerconfigjson.
        data: { dockerconfigjson: { key: from.remoteKey, property: from.property } },
        refreshInterval: from.refreshInterval,
        secretType: DOCKER_CONFIG_JSON,
        templateData: { '.dockerconfigjson': '{{ .dockerconfigjson | toString }}' },
      });
      return;
    }
    const lit = props.literal!;
    const reason = requirePlaintextOptIn(this, lit.allowPlaintextInManifests,
      `new RegistryPullSecret(this, ${show(this.secretName)}, { fromExternalSecret: { store, remoteKey: '<docker config key>' } }) or RegistryPullSecret.fromName(this, 'regcred', 'regcred')`);
    if (typeof lit.server !== 'string' || (!isIngressHost(lit.server) && !/^[a-z0-9.-]+:\d{1,5}$/.test(lit.server))) {
      fail(this, `registry server ${show(lit.server)} is not a registry host: give the host[:port] without scheme or path (e.g. 'registry.company.com').`);
    }
    if (typeof lit.username !== 'string' || typeof lit.password !== 'string' || lit.username === '' || lit.password === '') {
      fail(this, "'literal.username' and 'literal.password' must both be non-empty.");
    }
    const auth = Buffer.from(`${lit.username}:${lit.password}`, 'utf8').toString('base64');
    const config = JSON.stringify({ auths: { [lit.server]: { username: lit.username, password: lit.password, auth } } });
    checkSecretSize(this, Buffer.byteLength(config, 'utf8'));
    new k8s.KubeSecret(this, 'Resource', {
      metadata: { name: this.secretName, namespace: this.namespace, annotations: { [PLAINTEXT_SECRET_ANNOTATION]: reason } },
      type: DOCKER_CONFIG_JSON,
      data: { '.dockerconfigjson': Buffer.from(config, 'utf8').toString('base64') },
    });
  }
}

/**
 * Adds `imagePullSecrets` to the pod template of a Deployment, StatefulSet, DaemonSet or Job
 * object, merged with those added before (for the object of a `SecureDeployment` or data service,
 * through its own `addImagePullSecrets`). The pull secrets must live in the object's namespace.
 */
export function addImagePullSecrets(workload: ApiObject, ...secrets: IRegistryPullSecret[]): void {
  const namespace = workload.metadata.namespace;
  for (const secret of secrets) {
    if (namespace !== undefined && secret.namespace !== undefined && secret.namespace !== namespace) {
      fail(secret, `pull secret ${show(secret.secretName)} is in namespace ${show(secret.namespace)} but ${workload.kind} ${show(workload.name)} runs in ${show(namespace)}: pods can only use pull secrets of their own namespace; create the secret in ${show(namespace)}.`);
    }
  }
  // A workload construct of this library keeps its own list: add to it, so no call loses another's secrets.
  for (let scope = workload.node.scope; scope !== undefined; scope = scope.node.scope) {
    const owner = scope as Partial<IPullSecretWorkload>;
    if (typeof owner.addImagePullSecrets === 'function' && Array.isArray(owner.imagePullSecretNames)) {
      owner.addImagePullSecrets(...secrets);
      return;
    }
  }
  const names = PULL_SECRETS_OF.get(workload) ?? new Set<string>();
  for (const secret of secrets) names.add(secret.secretName);
  PULL_SECRETS_OF.set(workload, names);
  const path = workload.kind === 'CronJob' ? '/spec/jobTemplate/spec/template/spec/imagePullSecrets' : '/spec/template/spec/imagePullSecrets';
  workload.addJsonPatch(JsonPatch.add(path, [...names].sort().map((name) => ({ name }))));
}

/** The pull secrets added to each object by {@link addImagePullSecrets}, merged across calls. */
const PULL_SECRETS_OF = new WeakMap<ApiObject, Set<string>>();
