import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiObject, App, Chart } from 'cdk8s';
import { BUNDLED_CLOUDS, createBundledApps } from '../../apps/bundled-app';
import { AcrCredentialHelper } from '../../lib/registry';
import { checkOneOwnerPerObject, findSharedObjects } from '../../lib/synth';

/** The reproduction of issue #20: each environment emits its own kube-system/acr-configuration. */
function environment(name: string): App {
  const app = new App();
  const chart = new Chart(app, 'shop', { namespace: name });
  new AcrCredentialHelper(chart, 'acr-credential-helper', { watchNamespaces: [name] });
  return app;
}

describe('one owner per cluster object', () => {
  test('two environments emitting acr-configuration fail, naming both targets and both construct paths', () => {
    const targets = [{ name: 'alibaba/production', app: environment('production') }, { name: 'alibaba/staging', app: environment('staging') }];
    expect(() => checkOneOwnerPerObject('alibaba', targets)).toThrow(
      "Cluster \"alibaba\": ConfigMap kube-system/acr-configuration is emitted by both 'alibaba/production' ('shop/acr-credential-helper/Resource') "
      + "and 'alibaba/staging' ('shop/acr-credential-helper/Resource'); every object of a cluster needs one owner: emit it once, from the cluster "
      + 'baseline (listing what each environment needs), not from each environment.');
  });

  test('objects with the same name in different namespaces or groups are different objects', () => {
    const a = new App();
    new AcrCredentialHelper(new Chart(a, 'x'), 'h', {});
    const b = new App();
    const chart = new Chart(b, 'y');
    new ApiObject(chart, 'same-name-other-namespace', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'acr-configuration', namespace: 'default' } });
    new ApiObject(chart, 'same-name-other-group', { apiVersion: 'example.com/v1', kind: 'ConfigMap', metadata: { name: 'acr-configuration', namespace: 'kube-system' } });
    expect(findSharedObjects([{ name: 'a', app: a }, { name: 'b', app: b }])).toEqual([]);
  });

  test('the bundled clusters: no two targets of one cloud emit the same object', () => {
    const apps = createBundledApps(mkdtempSync(join(tmpdir(), 'ownership-')), { env: {} });
    for (const cloud of BUNDLED_CLOUDS) {
      expect(findSharedObjects(apps.filter((t) => t.folder.startsWith(`${cloud}/`)).map((t) => ({ name: t.folder, app: t.app })))).toEqual([]);
    }
  });

  test('the alibaba cluster baseline owns the one acr-configuration, watching every environment', () => {
    const apps = createBundledApps(mkdtempSync(join(tmpdir(), 'ownership-')), { env: {} });
    const owners = apps.flatMap((t) => t.app.charts.flatMap((c) => c.toJson()).filter((o) => o.metadata?.name === 'acr-configuration').map((o) => [t.folder, o.data['watch-namespace']]));
    expect(owners).toEqual([['alibaba/cluster', 'staging,production']]);
  });

  test('no target ships the default ServiceAccount the cluster creates itself', () => {
    const apps = createBundledApps(mkdtempSync(join(tmpdir(), 'ownership-')), { env: {} });
    const defaults = apps.flatMap((t) => t.app.charts.flatMap((c) => c.toJson()).filter((o) => o.kind === 'ServiceAccount' && o.metadata.name === 'default').map(() => t.folder));
    expect(defaults).toEqual([]);
  });
});
