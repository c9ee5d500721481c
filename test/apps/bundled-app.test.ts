import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Chart } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { createBundledApp } from '../../apps/bundled-app';

/** Synthesizes the bundled app into a fresh folder and returns file name → text. */
function synthToFolder(): Record<string, string> {
  const outdir = mkdtempSync(join(tmpdir(), 'guardrails-dist-'));
  createBundledApp(outdir).synth();
  return Object.fromEntries(readdirSync(outdir).sort().map((f) => [f, readFileSync(join(outdir, f), 'utf8')]));
}

const files = synthToFolder();
const manifests = Object.values(files).flatMap((text) => parseAllDocuments(text).map((d) => d.toJSON()));
const podTemplates = manifests.filter((m) => ['Deployment', 'StatefulSet', 'DaemonSet'].includes(m.kind));

describe('the bundled app stacks', () => {
  test('synthesizing twice gives byte-identical files', () => {
    expect(synthToFolder()).toEqual(files);
  });

  test('the user-service runs the documented image, ports and 3-10 replicas in production', () => {
    const deployment = manifests.find((m) => m.kind === 'Deployment' && m.metadata.name === 'user-service');
    expect(deployment.metadata.namespace).toBe('production');
    const container = deployment.spec.template.spec.containers[0];
    expect(container.image).toBe('myregistry.com/user-service:v1.2.3');
    expect(container.ports.map((p: any) => [p.name, p.containerPort])).toEqual([['http', 8080], ['grpc', 8081]]);
    const hpa = manifests.find((m) => m.kind === 'HorizontalPodAutoscaler');
    expect([hpa.spec.minReplicas, hpa.spec.maxReplicas]).toEqual([3, 10]);
    expect(deployment.spec.replicas).toBeUndefined();
  });

  test('the user-service reads env from its Secret, its ConfigMap and the node IP', () => {
    const container = manifests.find((m) => m.kind === 'Deployment').spec.template.spec.containers[0];
    const byName = Object.fromEntries(container.env.map((e: any) => [e.name, e.valueFrom]));
    expect(byName.DATABASE_PASSWORD).toEqual({ secretKeyRef: { name: 'user-service-secrets', key: 'database-password', optional: false } });
    expect(byName.LOG_LEVEL).toEqual({ configMapKeyRef: { name: 'user-service-config', key: 'log-level', optional: false } });
    expect(byName.JAEGER_AGENT_HOST).toEqual({ fieldRef: { fieldPath: 'status.hostIP' } });
  });

  test('every container has cpu and memory requests and limits and liveness and readiness probes', () => {
    expect(podTemplates.length).toBeGreaterThan(0);
    for (const workload of podTemplates) {
      for (const container of workload.spec.template.spec.containers) {
        const where = `${workload.kind} ${workload.metadata.name} container ${container.name}`;
        expect({ where, requests: Object.keys(container.resources?.requests ?? {}).sort() }).toEqual({ where, requests: ['cpu', 'memory'] });
        expect({ where, limits: Object.keys(container.resources?.limits ?? {}).sort() }).toEqual({ where, limits: ['cpu', 'memory'] });
        expect({ where, liveness: container.livenessProbe !== undefined, readiness: container.readinessProbe !== undefined })
          .toEqual({ where, liveness: true, readiness: true });
      }
    }
  });

  test('no Secret carries data in the output', () => {
    expect(manifests.filter((m) => m.kind === 'Secret' && (m.data || m.stringData))).toEqual([]);
  });

  test('the committed dist/ matches a fresh synth', () => {
    const committed = Object.fromEntries(readdirSync(join(__dirname, '../../dist')).sort()
      .map((f) => [f, readFileSync(join(__dirname, '../../dist', f), 'utf8')]));
    expect(committed).toEqual(files);
  });

  test('the production chart reads as the reviewers\' snapshot', () => {
    const chart = createBundledApp(mkdtempSync(join(tmpdir(), 'snap-'))).node.findChild('user-service-production') as Chart;
    expect(chart.toJson()).toMatchSnapshot();
  });
});
