import { Chart, Testing } from 'cdk8s';
import { AcmeClusterIssuer, LETS_ENCRYPT_STAGING } from '../../lib/ingress';

describe('AcmeClusterIssuer', () => {
  test('defaults to letsencrypt-prod with an HTTP-01 solver on the nginx class', () => {
    const chart = Testing.chart();
    new AcmeClusterIssuer(chart, 'issuer', { email: 'ops@company.com' });
    expect(Testing.synth(chart)).toEqual([{
      apiVersion: 'cert-manager.io/v1',
      kind: 'ClusterIssuer',
      metadata: { name: 'letsencrypt-prod' },
      spec: {
        acme: {
          email: 'ops@company.com',
          server: 'https://acme-v02.api.letsencrypt.org/directory',
          privateKeySecretRef: { name: 'letsencrypt-prod-account-key' },
          solvers: [{ http01: { ingress: { ingressClassName: 'nginx' } } }],
        },
      },
    }]);
  });

  test('takes a name, server, key secret and class', () => {
    const chart = Testing.chart();
    const issuer = new AcmeClusterIssuer(chart, 'issuer', { name: 'letsencrypt-staging', email: 'ops@company.com', server: LETS_ENCRYPT_STAGING, privateKeySecretName: 'le-staging', ingressClassName: 'internal' });
    const [obj] = Testing.synth(chart);
    expect(issuer.name).toBe('letsencrypt-staging');
    expect(obj.spec.acme.server).toBe(LETS_ENCRYPT_STAGING);
    expect(obj.spec.acme.privateKeySecretRef).toEqual({ name: 'le-staging' });
    expect(obj.spec.acme.solvers[0].http01.ingress).toEqual({ ingressClassName: 'internal' });
  });

  test.each([['ops'], ['ops@'], ['ops@company'], ['o ps@company.com']])('throws for the email %s', (email) => {
    expect(() => new AcmeClusterIssuer(Testing.chart(), 'i', { email })).toThrow(/AcmeClusterIssuer 'test\/i': email '.*' is not an e-mail address/);
  });

  test('throws for a non-https server and a bad name', () => {
    expect(() => new AcmeClusterIssuer(Testing.chart(), 'i', { email: 'a@b.io', server: 'http://acme.example/dir' })).toThrow(/server 'http:\/\/acme.example\/dir' is not an https URL/);
    expect(() => new AcmeClusterIssuer(Testing.chart(), 'i', { email: 'a@b.io', name: 'LE' })).toThrow(/name 'LE' is not a valid DNS-1123 subdomain/);
    expect(() => new AcmeClusterIssuer(Testing.chart(), 'i', { email: 'a@b.io', privateKeySecretName: 'a_b' })).toThrow(/privateKeySecretName 'a_b' is not a valid DNS-1123 subdomain/);
  });

  test('throws in a namespaced chart: a ClusterIssuer is cluster-scoped', () => {
    const chart = new Chart(Testing.app(), 'apps', { namespace: 'production' });
    expect(() => new AcmeClusterIssuer(chart, 'issuer', { email: 'ops@company.com' }))
      .toThrow("AcmeClusterIssuer 'apps/issuer': ClusterIssuer is cluster-scoped, but its chart sets namespace 'production': create it in a chart without a namespace, e.g. the cluster baseline chart.");
  });
});
