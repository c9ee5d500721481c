import fc from 'fast-check';

/** The apps the generated trees hold, each in namespaces `x` and `y`. */
export const ARBITRARY_APPS = ['a', 'b', 'c'];

/** A Deployment of `name` in `ns` whose pods carry `app: name` and listen on http 8080 plus `extraPort`. */
export function arbitraryDeployment(name: string, ns: string, extraPort: Record<string, unknown>) {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: ns },
    spec: { template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'main', image: 'x:1', ports: [{ name: 'http', containerPort: 8080 }, extraPort] }] } } },
  };
}

/** What the generated NetworkPolicies may contain. */
export interface PolicyArbitraryOptions {
  /** The `ports` entries a rule may restrict itself to. */
  readonly ports: readonly Record<string, unknown>[];
  /** Whether a peer may be an ipBlock instead of selectors. */
  readonly ipBlocks: boolean;
}

/** Random NetworkPolicies over {@link ARBITRARY_APPS} in namespaces `x` and `y`. */
export function networkPolicyArbitrary(options: PolicyArbitraryOptions) {
  return fc.record({
    ns: fc.constantFrom('x', 'y'),
    target: fc.option(fc.constantFrom(...ARBITRARY_APPS), { nil: undefined }),
    types: fc.subarray(['Ingress', 'Egress'], { minLength: 1 }),
    peerApp: fc.option(fc.constantFrom(...ARBITRARY_APPS), { nil: undefined }),
    peerNs: fc.option(fc.constantFrom('x', 'y'), { nil: undefined }),
    port: fc.option(fc.constantFrom(...options.ports), { nil: undefined }),
    cidr: options.ipBlocks ? fc.boolean() : fc.constant(false),
  }).map((p) => {
    const peer: any = p.cidr ? { ipBlock: { cidr: '10.0.0.0/8' } } : {
      ...(p.peerApp !== undefined ? { podSelector: { matchLabels: { app: p.peerApp } } } : {}),
      ...(p.peerNs !== undefined ? { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': p.peerNs } } } : {}),
    };
    const rule = (side: 'from' | 'to') => ({ [side]: Object.keys(peer).length === 0 ? [] : [peer], ...(p.port !== undefined ? { ports: [p.port] } : {}) });
    return {
      apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'p', namespace: p.ns },
      spec: {
        podSelector: p.target === undefined ? {} : { matchLabels: { app: p.target } },
        policyTypes: p.types,
        ...(p.types.includes('Ingress') ? { ingress: [rule('from')] } : {}),
        ...(p.types.includes('Egress') ? { egress: [rule('to')] } : {}),
      },
    };
  });
}
