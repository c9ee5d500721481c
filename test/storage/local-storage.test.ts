import { Chart, Size, Testing } from 'cdk8s';
import { LocalPersistentVolume, LocalStorageClass } from '../../lib/storage';

describe('LocalStorageClass', () => {
  test('no provisioner, WaitForFirstConsumer, no expansion, Retain by default', () => {
    const chart = Testing.chart();
    new LocalStorageClass(chart, 'local-storage');
    expect(Testing.synth(chart)).toEqual([{
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: 'local-storage', labels: { 'app.kubernetes.io/managed-by': 'cdk8s-guardrails' } },
      provisioner: 'kubernetes.io/no-provisioner',
      reclaimPolicy: 'Retain',
      volumeBindingMode: 'WaitForFirstConsumer',
      allowVolumeExpansion: false,
    }]);
  });

  test('throws on Immediate binding', () => {
    expect(() => new LocalStorageClass(Testing.chart(), 'local', { volumeBindingMode: 'Immediate' }))
      .toThrow(/LocalStorageClass 'test\/local': 'volumeBindingMode' 'Immediate' cannot work for local volumes: .* use 'WaitForFirstConsumer'/);
  });

  test('throws on volume expansion', () => {
    expect(() => new LocalStorageClass(Testing.chart(), 'local', { allowVolumeExpansion: true }))
      .toThrow(/LocalStorageClass 'test\/local': 'allowVolumeExpansion' is true, but local volumes cannot be expanded/);
  });

  test('throws on an unknown reclaim policy', () => {
    expect(() => new LocalStorageClass(Testing.chart(), 'local', { reclaimPolicy: 'Recycle' as any }))
      .toThrow(/'reclaimPolicy' 'Recycle' is not allowed: use 'Retain' \(default\) or 'Delete'/);
  });
});

describe('LocalPersistentVolume', () => {
  function build(extra: Record<string, unknown> = {}) {
    const chart = Testing.chart();
    const storageClass = new LocalStorageClass(chart, 'local-storage');
    new LocalPersistentVolume(chart, 'node1-ssd', {
      storageClass, capacity: Size.gibibytes(100), path: '/mnt/disks/ssd1', hostname: 'node-1', ...extra,
    });
    return Testing.synth(chart)[1];
  }

  test('pins the disk to its node with a required hostname affinity, Retain, RWO, Filesystem', () => {
    expect(build()).toEqual({
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: 'node1-ssd', labels: { 'app.kubernetes.io/managed-by': 'cdk8s-guardrails' } },
      spec: {
        capacity: { storage: '100Gi' },
        volumeMode: 'Filesystem',
        accessModes: ['ReadWriteOnce'],
        persistentVolumeReclaimPolicy: 'Retain',
        storageClassName: 'local-storage',
        local: { path: '/mnt/disks/ssd1' },
        nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['node-1'] }] }] } },
      },
    });
  });

  test('takes block mode, other access modes, Delete and a name', () => {
    const pv = build({ volumeMode: 'Block', accessModes: ['ReadWriteOncePod', 'ReadOnlyMany'], reclaimPolicy: 'Delete', name: 'pv-a' });
    expect(pv.metadata.name).toBe('pv-a');
    expect(pv.spec.volumeMode).toBe('Block');
    expect(pv.spec.accessModes).toEqual(['ReadWriteOncePod', 'ReadOnlyMany']);
    expect(pv.spec.persistentVolumeReclaimPolicy).toBe('Delete');
  });

  test.each([
    ['a relative path', { path: 'mnt/disk' }, /'path' 'mnt\/disk' is not an absolute path to a disk/],
    ['a path with ..', { path: '/mnt/../etc' }, /'path' '\/mnt\/..\/etc' is not an absolute path to a disk/],
    ['the root path', { path: '/' }, /'path' '\/' is not an absolute path to a disk/],
    ['a bad hostname', { hostname: 'Node_1' }, /'hostname' 'Node_1' is not a valid node name/],
    ['zero capacity', { capacity: Size.gibibytes(0) }, /'capacity' \(0Gi\) must be more than zero/],
    ['ReadWriteMany', { accessModes: ['ReadWriteMany'] }, /access mode 'ReadWriteMany' cannot work for a local volume/],
    ['no access mode', { accessModes: [] }, /'accessModes' is empty/],
    ['a bad volume mode', { volumeMode: 'Raw' }, /'volumeMode' 'Raw' is not a volume mode/],
    ['Recycle', { reclaimPolicy: 'Recycle' }, /'reclaimPolicy' 'Recycle' is not allowed/],
    ['a bad name', { name: 'PV_1' }, /PersistentVolume name 'PV_1' is not a valid DNS-1123 subdomain/],
  ])('throws on %s', (_what, extra, message) => {
    expect(() => build(extra)).toThrow(message);
  });

  test('throws in a namespaced chart', () => {
    const chart = Testing.chart();
    const sc = new LocalStorageClass(chart, 'local-storage');
    const ns = new Chart(Testing.app(), 'apps', { namespace: 'production' });
    expect(() => new LocalPersistentVolume(ns, 'pv', { storageClass: sc, capacity: Size.gibibytes(1), path: '/mnt/a', hostname: 'n' }))
      .toThrow(/LocalPersistentVolume 'apps\/pv': PersistentVolume is cluster-scoped, but its chart sets namespace 'production': create it in a chart without a namespace, e.g. the cluster baseline chart\./);
  });
});
