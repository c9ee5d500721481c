import { Construct } from 'constructs';
import { ClusterIssuer } from '../../imports/certmanager-clusterissuers-cert-manager.io';
import { requireClusterScope } from '../common/cluster-scope';
import { fail, show } from '../common/errors';
import { validateDns1123Subdomain } from '../common/validation';

/** Let's Encrypt's production ACME directory. */
export const LETS_ENCRYPT_PRODUCTION = 'https://acme-v02.api.letsencrypt.org/directory';
/** Let's Encrypt's staging ACME directory (untrusted certificates, generous rate limits). */
export const LETS_ENCRYPT_STAGING = 'https://acme-staging-v02.api.letsencrypt.org/directory';

const EMAIL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

/** True when `email` looks like a deliverable address (`local@domain.tld`). */
export function isEmail(email: string): boolean {
  return email.length <= 254 && EMAIL.test(email);
}

/** Props of {@link AcmeClusterIssuer}. */
export interface AcmeClusterIssuerProps {
  /** The ClusterIssuer name that Ingresses reference. @default 'letsencrypt-prod' */
  readonly name?: string;
  /** The account e-mail the ACME server sends expiry and policy notices to. */
  readonly email: string;
  /** The ACME directory URL (https). @default LETS_ENCRYPT_PRODUCTION */
  readonly server?: string;
  /** The Secret that holds the ACME account key (created by cert-manager). @default - `<name>-account-key` */
  readonly privateKeySecretName?: string;
  /** The IngressClass of the HTTP-01 solver Ingresses. @default 'nginx' */
  readonly ingressClassName?: string;
}

/**
 * A cert-manager `ClusterIssuer` that gets certificates from an ACME server (Let's Encrypt
 * production by default) with HTTP-01 challenges solved through the `nginx` IngressClass
 * (`ingressClassName`, never the deprecated class field). The account key stays in a Secret that
 * cert-manager creates: nothing secret is written to the manifests.
 */
export class AcmeClusterIssuer extends Construct {
  /** The ClusterIssuer name. */
  public readonly name: string;
  /** The ACME directory URL. */
  public readonly server: string;

  constructor(scope: Construct, id: string, props: AcmeClusterIssuerProps) {
    super(scope, id);
    requireClusterScope(this, 'ClusterIssuer');
    this.name = props.name ?? 'letsencrypt-prod';
    validateDns1123Subdomain(this, 'name', this.name);
    if (!isEmail(props.email)) {
      fail(this, `email ${show(props.email)} is not an e-mail address: give the address that should receive certificate expiry notices (e.g. 'ops@company.com').`);
    }
    this.server = props.server ?? LETS_ENCRYPT_PRODUCTION;
    if (!/^https:\/\/[^\s/]+(\/\S*)?$/.test(this.server)) {
      fail(this, `server ${show(this.server)} is not an https URL: give the ACME directory URL (e.g. '${LETS_ENCRYPT_PRODUCTION}').`);
    }
    const keySecret = props.privateKeySecretName ?? `${this.name}-account-key`;
    validateDns1123Subdomain(this, 'privateKeySecretName', keySecret);
    const ingressClassName = props.ingressClassName ?? 'nginx';
    validateDns1123Subdomain(this, 'ingressClassName', ingressClassName);

    new ClusterIssuer(this, 'Resource', {
      metadata: { name: this.name },
      spec: {
        acme: {
          email: props.email,
          server: this.server,
          privateKeySecretRef: { name: keySecret },
          solvers: [{ http01: { ingress: { ingressClassName } } }],
        },
      },
    });
  }
}
