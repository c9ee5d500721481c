import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { requireClusterScope } from '../common/cluster-scope';
import { fail, show } from '../common/errors';
import { validateDns1123Subdomain } from '../common/validation';

/** The annotation that makes an IngressClass the cluster default. */
export const DEFAULT_INGRESS_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';

/** The controller value ingress-nginx watches for. */
export const INGRESS_NGINX_CONTROLLER = 'k8s.io/ingress-nginx';

/** Props of {@link IngressClass}. */
export interface IngressClassProps {
  /** The IngressClass name, which Ingresses give as `spec.ingressClassName`. @default 'nginx' */
  readonly name?: string;
  /** The controller that implements the class. @default 'k8s.io/ingress-nginx' */
  readonly controller?: string;
  /**
   * Mark this class as the cluster default (`ingressclass.kubernetes.io/is-default-class: "true"`),
   * so Ingresses without `ingressClassName` use it. Only one class per cluster should be default.
   * @default false
   */
  readonly isDefault?: boolean;
}

/** A cluster-scoped `networking.k8s.io/v1` IngressClass, by default for ingress-nginx. */
export class IngressClass extends Construct {
  /** The IngressClass name. */
  public readonly name: string;
  /** The controller value. */
  public readonly controller: string;
  /** Whether it carries the default-class marker. */
  public readonly isDefault: boolean;

  constructor(scope: Construct, id: string, props: IngressClassProps = {}) {
    super(scope, id);
    requireClusterScope(this, 'IngressClass');
    this.name = props.name ?? 'nginx';
    validateDns1123Subdomain(this, 'name', this.name);
    this.controller = props.controller ?? INGRESS_NGINX_CONTROLLER;
    if (!/^[a-z0-9.-]+\/[A-Za-z0-9._/-]+$/.test(this.controller) || this.controller.length > 250) {
      fail(this, `controller ${show(this.controller)} is not a domain-prefixed path: use e.g. 'k8s.io/ingress-nginx'.`);
    }
    this.isDefault = props.isDefault ?? false;
    new k8s.KubeIngressClass(this, 'Resource', {
      metadata: {
        name: this.name,
        annotations: this.isDefault ? { [DEFAULT_INGRESS_CLASS_ANNOTATION]: 'true' } : undefined,
      },
      spec: { controller: this.controller },
    });
  }
}
