import { Chart, Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { RestrictedNamespace, namespaceDemand } from '../../lib/namespace';

function deployment(name: string, replicas: number | undefined, resources: any, extra: any = {}) {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'p' },
    spec: { replicas, ...extra, template: { spec: { containers: [{ name: 'main', resources }] } } },
  };
}

describe('namespaceDemand', () => {
  test('counts autoscaler maximums, rolling-update surge, init containers, PVCs and load balancers', () => {
    const manifests = [
      deployment('api', 2, { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } }, { strategy: { rollingUpdate: { maxSurge: 1 } } }),
      { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'api', namespace: 'p' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'api' }, maxReplicas: 10 } },
      deployment('web', 4, { limits: { cpu: '1', memory: '1Gi' } }),
      deployment('batch', 3, { limits: { cpu: '1', memory: '1Gi' } }, { strategy: { type: 'Recreate' } }),
      {
        apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: 'p' },
        spec: { replicas: 2, volumeClaimTemplates: [{}], template: { spec: { initContainers: [{ resources: { limits: { cpu: '4', memory: '1Gi' } } }], containers: [{ resources: { limits: { cpu: '1', memory: '2Gi' } } }] } } },
      },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'lb', namespace: 'p' }, spec: { type: 'LoadBalancer' } },
      { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'extra', namespace: 'p' } },
      deployment('elsewhere', 50, { limits: { cpu: '1' } }, {}),
    ];
    manifests[manifests.length - 1].metadata.namespace = 'other';
    const demand = namespaceDemand(manifests, 'p');
    // api: 10 + 1 surge; web: 4 + 25% surge (1); batch: 3, Recreate; db: 2, init 4 cpu beats 1.
    expect(demand.pods).toBe(11 + 5 + 3 + 2);
    expect(demand['limits.cpu']).toBeCloseTo(11 * 0.5 + 5 * 1 + 3 * 1 + 2 * 4);
    expect(demand['limits.memory']).toBe(11 * 512 * 2 ** 20 + 5 * 2 ** 30 + 3 * 2 ** 30 + 2 * 2 * 2 ** 30);
    // requests default to limits when unset.
    expect(demand['requests.cpu']).toBeCloseTo(11 * 0.25 + 5 * 1 + 3 * 1 + 2 * 4);
    expect(demand.persistentvolumeclaims).toBe(3);
    expect(demand['services.loadbalancers']).toBe(1);
  });

  test('LimitRange defaults fill containers without resources', () => {
    const demand = namespaceDemand([deployment('bare', 2, undefined, { strategy: { type: 'Recreate' } })], 'p', { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } });
    expect(demand['requests.cpu']).toBeCloseTo(0.2);
    expect(demand['limits.memory']).toBe(2 * 512 * 2 ** 20);
  });
});

describe('RestrictedNamespace quota check', () => {
  function chartWith(replicas: number, quota: any = {}) {
    const chart = new Chart(Testing.app(), 'apps', { namespace: 'p' });
    new RestrictedNamespace(chart, 'ns', { name: 'p', quota });
    new k8s.KubeDeployment(chart, 'api', {
      metadata: { name: 'api' },
      spec: { replicas, selector: { matchLabels: { app: 'api' } }, template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'main', image: 'x:1' }] } } },
    });
    return chart;
  }

  test('passes when the workloads fit', () => {
    expect(() => Testing.synth(chartWith(10))).not.toThrow();
  });

  test('fails synthesis when full scale exceeds the quota, naming the key, both amounts and the prop', () => {
    // 40 replicas + 10 surge pods, LimitRange default limit 500m each = 25 cpu > 20.
    expect(() => Testing.synth(chartWith(40))).toThrow(
      "[apps/ns] quota limits.cpu (20) is below what the workloads of namespace 'p' need at full scale (25, with autoscalers at their maximum and rolling-update surge pods): raise quota.limitsCpu or lower replicas or resources, or a rollout will be refused.",
    );
    // 41 replicas + 11 surge pods = 52 > 50.
    expect(() => Testing.synth(chartWith(41))).toThrow(/quota pods \(50\) is below what the workloads of namespace 'p' need at full scale \(52, .*raise quota.pods/);
  });

  test('raising the quota fixes it', () => {
    expect(() => Testing.synth(chartWith(40, { limitsCpu: '30', limitsMemory: '30Gi', pods: 60 }))).not.toThrow();
  });
});
