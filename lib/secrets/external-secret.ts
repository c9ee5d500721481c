import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { goDuration } from './go-duration';
import { ISecretStore } from './secret-store';
import {
  ExternalSecret as ExternalSecretResource,
  ExternalSecretSpecSecretStoreRefKind,
  ExternalSecretSpecTargetCreationPolicy,
  ExternalSecretSpecTargetTemplateEngineVersion,
} from '../../imports/externalsecrets-externalsecrets-external-secrets.io';
import { fail, show } from '../common/errors';
import { resolveNamespace } from '../common/namespace';
import { validateDns1123Subdomain } from '../common/validation';

/** Where one value lives in the secret manager. */
export interface RemoteRef {
  /** The remote key (Vault path under the mount, AWS secret name). */
  readonly key: string;
  /** A property of a JSON/KV remote value. @default - the whole value */
  readonly property?: string;
  /** A remote version. @default - the latest */
  readonly version?: string;
}

/** Props of {@link ExternalSecret}. */
export interface ExternalSecretProps {
  /** The ExternalSecret name, also the name of the Secret it creates. @default - the construct id */
  readonly name?: string;
  /** The namespace. @default - the chart's namespace, else 'default' */
  readonly namespace?: string;
  /** The store to read from. */
  readonly store: ISecretStore;
  /**
   * The Secret keys and where each value comes from: a remote key, or a {@link RemoteRef}.
   * @default {} — then `extractKeys` must be given
   */
  readonly data?: Record<string, string | RemoteRef>;
  /** Remote keys whose JSON/KV properties all become Secret keys (`dataFrom.extract`). @default [] */
  readonly extractKeys?: string[];
  /** How often the value is re-read. @default Duration.hours(1) */
  readonly refreshInterval?: Duration;
  /** The type of the created Secret, e.g. 'kubernetes.io/dockerconfigjson'. @default - 'Opaque' */
  readonly secretType?: string;
  /**
   * Go templates (engine v2) for the created Secret's keys, e.g.
   * `{ '.dockerconfigjson': '{{ .dockerconfigjson | toString }}' }`; with templates, only these
   * keys are written. Templates reference values by their `data` key: never put a secret value here.
   * @default - the `data` keys are written as read
   */
  readonly templateData?: Record<string, string>;
}

const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;

/**
 * An external-secrets `ExternalSecret` (`external-secrets.io/v1`): the controller reads the
 * remote values and writes a Kubernetes Secret of the same name, owned by the ExternalSecret. The
 * manifests hold only where the values are, never the values.
 */
export class ExternalSecret extends Construct {
  /** The ExternalSecret name. */
  public readonly name: string;
  /** The name of the Secret it creates (same as `name`). */
  public readonly secretName: string;
  /** The namespace. */
  public readonly namespace: string;
  /** The Secret keys it fills, sorted (extracted keys not included: they are only known at runtime). */
  public readonly secretKeys: string[];

  constructor(scope: Construct, id: string, props: ExternalSecretProps) {
    super(scope, id);
    this.name = props.name ?? id;
    validateDns1123Subdomain(this, 'name', this.name);
    this.secretName = this.name;
    this.namespace = resolveNamespace(this, props.namespace);
    if (props.store.storeKind === 'SecretStore' && props.store.storeNamespace !== undefined && props.store.storeNamespace !== this.namespace) {
      fail(this, `SecretStore ${show(props.store.storeName)} is in namespace ${show(props.store.storeNamespace)} but this ExternalSecret is in ${show(this.namespace)}: a SecretStore serves its own namespace only; create one in ${show(this.namespace)} or use a ClusterSecretStore.`);
    }

    const entries = Object.entries(props.data ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const extract = props.extractKeys ?? [];
    if (entries.length === 0 && extract.length === 0) {
      fail(this, "maps no values: give 'data' ({ secretKey: 'remote/key' }) or 'extractKeys' (['remote/key']).");
    }
    const data = entries.map(([secretKey, ref]) => {
      if (!SECRET_KEY.test(secretKey) || secretKey.length > 253) {
        fail(this, `Secret key ${show(secretKey)} is not allowed: use letters, digits, '-', '_' and '.' (e.g. 'DATABASE_URL').`);
      }
      const remote: RemoteRef = typeof ref === 'string' ? { key: ref } : ref;
      if (remote.key.trim() === '') fail(this, `the remote key of Secret key ${show(secretKey)} is empty: give where the value lives (e.g. 'production/user-service').`);
      return { secretKey, remoteRef: { key: remote.key, property: remote.property, version: remote.version } };
    });
    for (const key of Object.keys(props.templateData ?? {})) {
      if (!SECRET_KEY.test(key)) fail(this, `template key ${show(key)} is not allowed: use letters, digits, '-', '_' and '.' (e.g. '.dockerconfigjson').`);
      // A template without an action is a literal: it would sit in plaintext in the manifests.
      if (!props.templateData![key].includes('{{')) {
        fail(this, `template key ${show(key)} holds a literal (no '{{ }}' action), which would be written into dist/ in plaintext: reference a fetched value by its data key, e.g. '{{ .password }}', or use a LiteralSecret with allowPlaintextInManifests: { reason }.`);
      }
    }
    for (const key of extract) {
      if (key.trim() === '') fail(this, "an 'extractKeys' entry is empty: give the remote key whose properties to copy.");
    }
    this.secretKeys = entries.map(([k]) => k);

    new ExternalSecretResource(this, 'Resource', {
      metadata: { name: this.name, namespace: this.namespace },
      spec: {
        secretStoreRef: {
          name: props.store.storeName,
          kind: props.store.storeKind === 'SecretStore' ? ExternalSecretSpecSecretStoreRefKind.SECRET_STORE : ExternalSecretSpecSecretStoreRefKind.CLUSTER_SECRET_STORE,
        },
        refreshInterval: goDuration(this, 'refreshInterval', props.refreshInterval ?? Duration.hours(1)),
        target: {
          name: this.secretName,
          creationPolicy: ExternalSecretSpecTargetCreationPolicy.OWNER,
          template: props.secretType === undefined && props.templateData === undefined ? undefined : {
            engineVersion: ExternalSecretSpecTargetTemplateEngineVersion.V2,
            type: props.secretType,
            data: props.templateData === undefined
              ? undefined
              : Object.fromEntries(Object.entries(props.templateData).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
          },
        },
        data: data.length > 0 ? data : undefined,
        dataFrom: extract.length > 0 ? extract.map((key) => ({ extract: { key } })) : undefined,
      },
    });
  }
}
