import { Chart, Testing } from 'cdk8s';
import { PriorityClass } from '../../lib';

function synth(props: Partial<ConstructorParameters<typeof PriorityClass>[2]> = {}, namespace?: string) {
  const chart = new Chart(Testing.app(), 'cluster', { namespace });
  const pc = new PriorityClass(chart, 'production-critical', { value: 100000, description: 'Production pods.', ...props });
  return { pc, objects: Testing.synth(chart) };
}

describe('PriorityClass', () => {
  test('writes a cluster-scoped PriorityClass with the documented defaults', () => {
    const { pc, objects } = synth();
    expect(pc.name).toBe('production-critical');
    expect(objects).toEqual([{
      apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'production-critical' },
      value: 100000, globalDefault: false, preemptionPolicy: 'PreemptLowerPriority', description: 'Production pods.',
    }]);
  });

  test('bad input fails with the construct path, the value and the fix', () => {
    expect(() => synth({ value: 2_000_000_001 })).toThrow(/'value'.*2000000001/);
    expect(() => synth({ name: 'system-mine' })).toThrow("PriorityClass 'cluster/production-critical': 'name' 'system-mine' starts with 'system-', which Kubernetes reserves for its own classes; choose another name (e.g. 'production-critical').");
    expect(() => synth({ description: ' ' })).toThrow(/'description' is empty/);
    expect(() => synth({}, 'production')).toThrow(/PriorityClass is cluster-scoped, but its chart sets namespace 'production'/);
  });
});
