import { ApiObject, Chart } from 'cdk8s';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { SecureDeployment } from '../../lib';
import { GuardrailsApp } from '../../lib/synth';

function app(): GuardrailsApp {
  return new GuardrailsApp({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'app-checks-')) });
}

describe('app-wide checks before writing', () => {
  test('two SecureDeployments named x in one namespace fail, naming both construct paths (issue #17)', () => {
    const a = app();
    new SecureDeployment(new Chart(a, 'team-a', { namespace: 'shop' }), 'api', { image: 'r.io/api:v1', name: 'x' });
    new SecureDeployment(new Chart(a, 'team-b', { namespace: 'shop' }), 'api', { image: 'r.io/api:v1', name: 'x' });
    expect(() => a.synth()).toThrow(/ 'shop\/x' \(.*\) is defined twice, by 'team-a\/api\/.*' and by 'team-b\/api\/.*'; .* give one of them another name/);
    expect(fs.readdirSync(a.outdir)).toEqual([]);
  });

  test('the same name in two namespaces, or as two kinds, is fine', () => {
    const a = app();
    new SecureDeployment(new Chart(a, 'one', { namespace: 'shop' }), 'x', { image: 'r.io/api:v1' });
    new SecureDeployment(new Chart(a, 'two', { namespace: 'test' }), 'x', { image: 'r.io/api:v1' });
    expect(() => a.synthYaml()).not.toThrow();
  });

  test('the API version does not make a second object: apps/v1 and apps/v1beta2 Deployments x collide', () => {
    const a = app();
    const chart = new Chart(a, 'c');
    new ApiObject(chart, 'one', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x', namespace: 'n' } });
    new ApiObject(chart, 'two', { apiVersion: 'apps/v1beta2', kind: 'Deployment', metadata: { name: 'x', namespace: 'n' } });
    expect(() => a.synthYaml()).toThrow("Deployment 'n/x' (apps/v1beta2) is defined twice, by 'c/one' and by 'c/two'");
  });

  test('two cluster-scoped Namespaces with one name collide', () => {
    const a = app();
    new ApiObject(new Chart(a, 'c1'), 'ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
    new ApiObject(new Chart(a, 'c2'), 'ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
    expect(() => a.synthYaml()).toThrow("Namespace 'shop' (v1) is defined twice, by 'c1/ns' and by 'c2/ns'");
  });

  test('NaN, Infinity and unpaired surrogates fail with the construct path and field', () => {
    const a = app();
    new ApiObject(new Chart(a, 'c'), 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { n: NaN } as any });
    expect(() => a.synthYaml()).toThrow("ApiObject 'c/cm': ConfigMap field '.data.n' is NaN, which Kubernetes cannot read; pass a finite number or valid Unicode text.");
    const b = app();
    new ApiObject(new Chart(b, 'c'), 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { s: 'a\ud800' } });
    expect(() => b.synthYaml()).toThrow(/'c\/cm': ConfigMap field '.data.s' holds an unpaired UTF-16 surrogate/);
  });
});
