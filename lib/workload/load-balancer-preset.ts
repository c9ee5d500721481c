/**
 * Annotations that make a `LoadBalancer` Service provision an internal (private) load balancer
 * on a given cloud. Use a named factory; `LoadBalancerPreset.of(name)` fails with the known names.
 */
export class LoadBalancerPreset {
  /** AWS Load Balancer Controller: an internal Network Load Balancer with IP targets. */
  public static awsInternalNlb(): LoadBalancerPreset {
    return new LoadBalancerPreset('aws-internal-nlb', {
      'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
      'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal',
      'service.beta.kubernetes.io/aws-load-balancer-type': 'external',
    });
  }

  /** Alibaba Cloud CCM: an internal (intranet) Server Load Balancer. */
  public static alibabaInternalSlb(): LoadBalancerPreset {
    return new LoadBalancerPreset('alibaba-internal-slb', {
      'service.beta.kubernetes.io/alibaba-cloud-loadbalancer-address-type': 'intranet',
    });
  }

  /** The preset called `name`; throws with the list of known names for anything else. */
  public static of(name: string): LoadBalancerPreset {
    const known: Record<string, () => LoadBalancerPreset> = {
      'aws-internal-nlb': LoadBalancerPreset.awsInternalNlb,
      'alibaba-internal-slb': LoadBalancerPreset.alibabaInternalSlb,
    };
    const factory = known[name];
    if (!factory) {
      throw new Error(`LoadBalancerPreset: unknown preset '${name}'; use one of ${Object.keys(known).map((k) => `'${k}'`).join(', ')}.`);
    }
    return factory();
  }

  private constructor(
    /** The preset's name. */
    public readonly name: string,
    /** The Service annotations it sets. */
    public readonly annotations: Readonly<Record<string, string>>,
  ) {}
}
