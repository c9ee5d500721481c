import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart } from 'cdk8s';
import { synthApps } from '../../apps/parts/synth';
import { PolicyPack, policyCheckHook, PolicyViolationError } from '../../lib/policy';
import { synthApp } from '../../lib/synth';
import { tmpDir } from '../synth/compare';

/** A Deployment that breaks the host-access rule (hostPID). */
function hostPidDeployment(name: string): Record<string, any> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'production', labels: { app: name } },
    spec: {
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { hostPID: true, containers: [{ name: 'app', image: 'registry.example.com/app:1.0.0' }] },
      },
    },
  };
}

describe('policyCheckHook', () => {
  test('fails the synth with the violating construct path before any file is written', () => {
    const outdir = tmpDir();
    const app = new App({ outdir });
    const chart = new Chart(app, 'shop', { namespace: 'production' });
    new ApiObject(chart, 'debug', hostPidDeployment('debug') as any);
    expect(() => synthApp(app, { beforeWrite: [policyCheckHook(new PolicyPack())] }))
      .toThrow(PolicyViolationError);
    expect(() => synthApp(app, { beforeWrite: [policyCheckHook(new PolicyPack())] }))
      .toThrow(/\[shop\/debug\] Deployment production\/debug violates K8sBlockHostAccess \(host-access\)/);
    expect(fs.readdirSync(outdir)).toEqual([]);
  });
});

describe('synthApps', () => {
  test('writes every app like app.synth() when nothing violates the pack', () => {
    const outdir = tmpDir();
    const app = new App({ outdir });
    const chart = new Chart(app, 'plain');
    new ApiObject(chart, 'config', { apiVersion: 'v1', kind: 'ConfigMap', data: { a: '1' } });
    synthApps([{ app }], new PolicyPack());
    expect(fs.readdirSync(outdir)).toEqual(['plain.k8s.yaml']);
    expect(fs.readFileSync(path.join(outdir, 'plain.k8s.yaml'), 'utf8')).toContain('kind: ConfigMap');
  });
});
