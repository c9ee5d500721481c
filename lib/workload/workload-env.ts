/** Where an environment variable's value comes from. */
export type EnvSource =
  | { readonly kind: 'value'; readonly value: string }
  | { readonly kind: 'configMap'; readonly configMapName: string; readonly key: string; readonly optional: boolean }
  | { readonly kind: 'secret'; readonly secretName: string; readonly key: string; readonly optional: boolean }
  | { readonly kind: 'field'; readonly fieldPath: string };

/** Options of a value read from a ConfigMap or a Secret. */
export interface EnvKeyOptions {
  /** Start the pod even when the key is missing. @default false */
  readonly optional?: boolean;
}

/** Pod fields that a container may read through the downward API (`fieldRef`). */
const FIELD_PATHS = [
  'metadata.name', 'metadata.namespace', 'metadata.uid', 'spec.nodeName', 'spec.serviceAccountName',
  'status.hostIP', 'status.hostIPs', 'status.podIP', 'status.podIPs',
];

/**
 * An environment variable's value: a literal, a ConfigMap key, a Secret key or a pod field.
 * Secrets are only ever referenced by name and key, so their values never reach `dist/`.
 */
export class WorkloadEnv {
  /** The pod fields {@link WorkloadEnv.fromField} accepts (besides `metadata.labels['…']` and `metadata.annotations['…']`). */
  public static readonly FIELD_PATHS: readonly string[] = FIELD_PATHS;

  /** A literal value, written into the manifest. Never use it for credentials: use {@link fromSecret}. */
  public static value(value: string): WorkloadEnv {
    return new WorkloadEnv({ kind: 'value', value });
  }

  /** The value of `key` in the ConfigMap `configMapName`. */
  public static fromConfigMap(configMapName: string, key: string, options: EnvKeyOptions = {}): WorkloadEnv {
    return new WorkloadEnv({ kind: 'configMap', configMapName, key, optional: options.optional ?? false });
  }

  /** The value of `key` in the Secret `secretName`. */
  public static fromSecret(secretName: string, key: string, options: EnvKeyOptions = {}): WorkloadEnv {
    return new WorkloadEnv({ kind: 'secret', secretName, key, optional: options.optional ?? false });
  }

  /** A pod field through the downward API, e.g. `status.hostIP` for a node-local agent. */
  public static fromField(fieldPath: string): WorkloadEnv {
    return new WorkloadEnv({ kind: 'field', fieldPath });
  }

  /** True when `fieldPath` is one the downward API serves as an environment variable. */
  public static isKnownFieldPath(fieldPath: string): boolean {
    return FIELD_PATHS.includes(fieldPath) || /^metadata\.(labels|annotations)\['[^']+'\]$/.test(fieldPath);
  }

  private constructor(public readonly source: EnvSource) {}
}
