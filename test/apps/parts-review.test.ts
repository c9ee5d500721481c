import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing } from 'cdk8s';
import { parse } from 'yaml';
import { addArgoCdApplications, writeEnvironmentKustomizations } from '../../apps/parts/review';

describe('apps/parts/review', () => {
  test('adds one Application per environment folder, sorted by name', () => {
    const chart = Testing.chart();
    const apps = addArgoCdApplications(chart, {
      repoUrl: 'https://git.example.com/shop/deploy.git',
      environments: [
        { name: 'staging', namespace: 'staging', path: 'dist/staging' },
        { name: 'production', namespace: 'production', path: 'dist/production', server: 'https://10.0.0.1:6443' },
      ],
    });
    expect(apps.map((a) => a.name)).toEqual(['shop-production', 'shop-staging']);
    const objects = Testing.synth(chart);
    expect(objects.map((o) => [o.metadata.name, o.spec.source.path, o.spec.source.targetRevision, o.spec.destination])).toEqual([
      ['shop-production', 'dist/production', 'main', { server: 'https://10.0.0.1:6443', namespace: 'production' }],
      ['shop-staging', 'dist/staging', 'main', { server: 'https://kubernetes.default.svc', namespace: 'staging' }],
    ]);
  });

  test('writes a kustomization into each environment folder', () => {
    const out = mkdtempSync(join(tmpdir(), 'envs-'));
    for (const env of ['staging', 'production']) {
      mkdirSync(join(out, env));
      writeFileSync(join(out, env, 'shop.k8s.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n');
    }
    expect(writeEnvironmentKustomizations(out, ['staging', 'production'])).toEqual({ production: ['shop.k8s.yaml'], staging: ['shop.k8s.yaml'] });
    expect(parse(readFileSync(join(out, 'staging', 'kustomization.yaml'), 'utf8')).resources).toEqual(['shop.k8s.yaml']);
  });

  test('fails when an environment folder was not synthesized', () => {
    expect(() => writeEnvironmentKustomizations(mkdtempSync(join(tmpdir(), 'envs-')), ['qa'])).toThrow(/writeEnvironmentKustomizations: '.*qa' does not exist; synthesize the app into it/);
  });
});
