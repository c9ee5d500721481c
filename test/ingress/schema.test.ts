import { Testing } from 'cdk8s';
import { Ingress, IngressClass as IngressClassModel } from 'kubernetes-models/networking.k8s.io/v1';
import { ConfigMap, Secret, ServiceAccount } from 'kubernetes-models/v1';
import { addAcrCredentialHelper, addEdge, addRegistryCredentials } from '../../apps/parts/edge';
import { LiteralSecret } from '../../lib/secrets';
import { FakeWorkload } from '../support/fake-workload';

const MODELS: Record<string, (o: any) => { validate(): void }> = {
  Ingress: (o) => new Ingress(o),
  IngressClass: (o) => new IngressClassModel(o),
  ConfigMap: (o) => new ConfigMap(o),
  Secret: (o) => new Secret(o),
  ServiceAccount: (o) => new ServiceAccount(o),
};

describe('edge objects against the Kubernetes OpenAPI schema (kubernetes-models)', () => {
  for (const cloud of ['aws', 'alibaba'] as const) {
    test(`every core object of the ${cloud} edge validates`, () => {
      const chart = Testing.chart();
      (chart as any).namespace = 'production';
      addRegistryCredentials(chart, { cloud });
      if (cloud === 'alibaba') addAcrCredentialHelper(chart, { watchNamespaces: ['production'] });
      const w = (n: string) => FakeWorkload.of(chart, n);
      addEdge(chart, { userService: w('user-service'), orderService: w('order-service'), paymentService: w('payment-service'), frontend: w('frontend') });
      new LiteralSecret(chart, 'demo', { data: { a: 'b' }, allowPlaintextInManifests: { reason: 'schema test' } });
      const checked = Testing.synth(chart).filter((m) => MODELS[m.kind] !== undefined);
      expect(checked.length).toBeGreaterThanOrEqual(3);
      for (const m of checked) expect(() => MODELS[m.kind](m).validate()).not.toThrow();
    });
  }
});
