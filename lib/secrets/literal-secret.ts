import { k8s } from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import { GuardrailsAnnotations } from '../common/annotations';
import { fail, show } from '../common/errors';
import { resolveNamespace } from '../common/namespace';
import { validateDns1123Subdomain } from '../common/validation';

/** The annotation that marks a Secret whose literal data was written on purpose; its value is the reason. */
export const PLAINTEXT_SECRET_ANNOTATION = GuardrailsAnnotations.PLAINTEXT_SECRET_REASON;

/** The largest Secret Kubernetes stores: 1 MiB of data. */
export const MAX_SECRET_BYTES = 1024 * 1024;

/** An explicit opt-in to write secret values into the manifests. */
export interface PlaintextOptIn {
  /** Why a secret manager (ExternalSecret) will not do; stored as the marker annotation. */
  readonly reason: string;
}

/** Props of {@link LiteralSecret}. */
export interface LiteralSecretProps {
  /** The Secret name. @default - the construct id */
  readonly name?: string;
  /** The namespace. @default - the chart's namespace, else 'default' */
  readonly namespace?: string;
  /** The Secret type. @default 'Opaque' */
  readonly type?: string;
  /** The values (plain text; written base64-encoded, which is not encryption). */
  readonly data: Record<string, string>;
  /**
   * Required: the opt-in, with a reason, to put these values in the manifests (and so in git).
   * Without it, construction fails and shows the ExternalSecret to write instead.
   * @default - refused
   */
  readonly allowPlaintextInManifests?: PlaintextOptIn;
}

/** Total bytes of the values of a Secret's data (what the 1 MiB limit counts). */
export function secretDataBytes(data: Record<string, string>): number {
  return Object.values(data).reduce((sum, v) => sum + Buffer.byteLength(v, 'utf8'), 0);
}

/** Throws unless `opt` is an opt-in with a non-empty reason; `alternative` shows what to do instead. */
export function requirePlaintextOptIn(scope: IConstruct, opt: PlaintextOptIn | undefined, alternative: string): string {
  if (opt === undefined) {
    fail(scope, `literal secret values would be written into the manifests, and so into git: read them from a secret manager instead, e.g. ${alternative}; or, if plaintext is really intended, set allowPlaintextInManifests: { reason: '...' }.`);
  }
  if (opt.reason.trim() === '') {
    fail(scope, "'allowPlaintextInManifests.reason' is empty: say why a secret manager (ExternalSecret) will not do; the reason is kept on the Secret for reviewers.");
  }
  return opt.reason;
}

/** Throws when `bytes` exceeds the 1 MiB Secret limit. */
export function checkSecretSize(scope: IConstruct, bytes: number): void {
  if (bytes > MAX_SECRET_BYTES) {
    fail(scope, `the Secret holds ${bytes} bytes of data, over the Kubernetes limit of ${MAX_SECRET_BYTES} bytes (1 MiB): split it into several Secrets or keep large files in a volume.`);
  }
}

/**
 * A Kubernetes Secret whose values are written into the manifests: refused unless
 * `allowPlaintextInManifests` gives a reason, which is kept as the
 * `cdk8s-guardrails.io/plaintext-secret-reason` annotation (what {@link findSecretLeaks} accepts).
 * Prefer {@link ExternalSecret}. Enforces the 1 MiB Secret size limit.
 */
export class LiteralSecret extends Construct {
  /** The Secret name. */
  public readonly secretName: string;
  /** The namespace. */
  public readonly namespace: string;

  constructor(scope: Construct, id: string, props: LiteralSecretProps) {
    super(scope, id);
    this.secretName = props.name ?? id;
    validateDns1123Subdomain(this, 'name', this.secretName);
    this.namespace = resolveNamespace(this, props.namespace);
    const keys = Object.keys(props.data).sort();
    const example = `new ExternalSecret(this, ${show(this.secretName)}, { store, data: { ${keys.slice(0, 2).map((k) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : show(k)}: '<remote key>'`).join(', ')} } })`;
    const reason = requirePlaintextOptIn(this, props.allowPlaintextInManifests, example);
    if (keys.length === 0) fail(this, "'data' is empty: give the values, or leave the Secret out.");
    for (const key of keys) {
      if (!/^[-._a-zA-Z0-9]+$/.test(key)) {
        fail(this, `Secret key ${show(key)} is not allowed: use letters, digits, '-', '_' and '.'.`);
      }
    }
    checkSecretSize(this, secretDataBytes(props.data));
    new k8s.KubeSecret(this, 'Resource', {
      metadata: { name: this.secretName, namespace: this.namespace, annotations: { [PLAINTEXT_SECRET_ANNOTATION]: reason } },
      type: props.type ?? 'Opaque',
      data: Object.fromEntries(keys.map((k) => [k, Buffer.from(props.data[k], 'utf8').toString('base64')])),
    });
  }
}
