import { App, Testing } from 'cdk8s';
import { checkPodSecurityOfManifests } from 'cdk8s-guardrails';
import { ShopChart } from '../main';

describe('ShopChart', () => {
  const manifests = Testing.synth(new ShopChart(new App(), 'shop', 'shop'));

  test('matches the reviewed snapshot', () => {
    expect(manifests).toMatchSnapshot();
  });

  test('every pod template passes the Pod Security Standards restricted profile', () => {
    expect(checkPodSecurityOfManifests(manifests, 'restricted')).toEqual([]);
  });
});
