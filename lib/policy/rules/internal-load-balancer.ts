import { PolicyRule } from '../policy-rule';

/** Services of type LoadBalancer carry an annotation that makes the cloud load balancer internal. */
export const internalLoadBalancerRule: PolicyRule = {
  id: 'internal-load-balancer',
  kind: 'K8sInternalLoadBalancer',
  description: 'Services of type LoadBalancer carry one of the annotations that make the cloud load balancer internal.',
  fix: 'annotate the Service for an internal load balancer (AWS service.beta.kubernetes.io/aws-load-balancer-scheme: internal, Alibaba service.beta.kubernetes.io/alibaba-cloud-loadbalancer-address-type: intranet), or expose it through the ingress controller instead',
  match: [{ apiGroup: '', version: 'v1', kind: 'Service', resource: 'services' }],
  parameters: {
    annotations: {
      description: 'Accepted "key=value" annotations; any one of them makes the load balancer internal.',
      default: [
        'service.beta.kubernetes.io/aws-load-balancer-scheme=internal',
        'service.beta.kubernetes.io/aws-load-balancer-internal=true',
        'service.beta.kubernetes.io/alibaba-cloud-loadbalancer-address-type=intranet',
        'service.beta.kubernetes.io/azure-load-balancer-internal=true',
        'networking.gke.io/load-balancer-type=Internal',
      ],
    },
  },
  validations: [{
    expression: "!has(object.spec.type) || object.spec.type != 'LoadBalancer' || (has(object.metadata.annotations) && "
      + "params.data.annotations.split(',').exists(a, a.indexOf('=') > 0 && a.substring(0, a.indexOf('=')) in object.metadata.annotations"
      + " && object.metadata.annotations[a.substring(0, a.indexOf('='))] == a.substring(a.indexOf('=') + 1)))",
    message: 'a LoadBalancer Service needs an annotation of the annotations parameter',
  }],
  rego: `package k8sinternalloadbalancer

internal_annotation {
  a := input.parameters.annotations[_]
  i := indexof(a, "=")
  i > 0
  key := substring(a, 0, i)
  value := substring(a, i + 1, -1)
  input.review.object.metadata.annotations[key] == value
}

violation[{"msg": msg}] {
  input.review.object.spec.type == "LoadBalancer"
  not internal_annotation
  msg := sprintf("Service %v of type LoadBalancer has none of the internal annotations %v", [input.review.object.metadata.name, input.parameters.annotations])
}
`,
};
