import { Chart, Size, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { PostgresDatabase, RedisCache } from '../../lib/storage';

const RUNS = { numRuns: 40 };
const KB = { MB: 1024, GB: 1024 * 1024, kB: 1 } as Record<string, number>;

function kbOf(value: string): number {
  const m = /^(\d+)(kB|MB|GB)$/.exec(value);
  if (!m) throw new Error(`not a PostgreSQL size: ${value}`);
  return Number(m[1]) * KB[m[2]];
}

function chart(): Chart {
  return new Chart(Testing.app(), 'data', { namespace: 'production' });
}

test('random valid Postgres settings give flags within PostgreSQL 15 ranges and below the memory limit', () => {
  const gen = fc.record({
    memoryLimitMiB: fc.integer({ min: 256, max: 65536 }),
    maxConnections: fc.integer({ min: 1, max: 262143 }),
    workMemKiB: fc.integer({ min: 64, max: 4 * 1024 * 1024 }),
    maintenanceWorkMemKiB: fc.integer({ min: 1024, max: 8 * 1024 * 1024 }),
    effectiveCacheSizeKiB: fc.integer({ min: 8, max: 64 * 1024 * 1024 }),
  }).chain((s) => fc.record({ sharedBuffersKiB: fc.integer({ min: 128, max: s.memoryLimitMiB * 1024 - 1 }) }).map((b) => ({ ...s, ...b })));
  fc.assert(fc.property(gen, (s) => {
    const db = new PostgresDatabase(chart(), 'postgres', {
      credentials: { secretName: 'pg' },
      resources: { memoryLimit: Size.mebibytes(s.memoryLimitMiB) },
      settings: {
        sharedBuffers: Size.kibibytes(s.sharedBuffersKiB), maxConnections: s.maxConnections, workMem: Size.kibibytes(s.workMemKiB),
        maintenanceWorkMem: Size.kibibytes(s.maintenanceWorkMemKiB), effectiveCacheSize: Size.kibibytes(s.effectiveCacheSizeKiB),
      },
    });
    const f = db.serverFlags;
    expect(kbOf(f.shared_buffers)).toBe(s.sharedBuffersKiB);
    expect(kbOf(f.shared_buffers)).toBeLessThan(s.memoryLimitMiB * 1024);
    expect(kbOf(f.shared_buffers)).toBeGreaterThanOrEqual(128);
    expect(kbOf(f.work_mem)).toBeGreaterThanOrEqual(64);
    expect(kbOf(f.maintenance_work_mem)).toBeGreaterThanOrEqual(1024);
    expect(kbOf(f.effective_cache_size)).toBe(s.effectiveCacheSizeKiB);
    expect(Number(f.max_connections)).toBe(s.maxConnections);
  }), RUNS);
});

test('random out-of-range Postgres settings throw', () => {
  fc.assert(fc.property(fc.oneof(
    fc.integer({ min: -10, max: 0 }).map((maxConnections) => ({ maxConnections })),
    fc.integer({ min: 262144, max: 10_000_000 }).map((maxConnections) => ({ maxConnections })),
    fc.integer({ min: 1, max: 127 }).map((kib) => ({ sharedBuffers: Size.kibibytes(kib) })),
    fc.integer({ min: 2048, max: 100_000 }).map((mib) => ({ sharedBuffers: Size.mebibytes(mib) })),
    fc.integer({ min: 1, max: 63 }).map((kib) => ({ workMem: Size.kibibytes(kib) })),
    fc.integer({ min: 1, max: 1023 }).map((kib) => ({ maintenanceWorkMem: Size.kibibytes(kib) })),
  ), (settings) => {
    expect(() => new PostgresDatabase(chart(), 'postgres', { credentials: { secretName: 'pg' }, settings })).toThrow(/PostgresDatabase 'data\/postgres': 'settings\./);
  }), RUNS);
});

test('random Redis caps below the memory limit are accepted, at or above it rejected', () => {
  fc.assert(fc.property(fc.integer({ min: 64, max: 16384 }), fc.integer({ min: 1, max: 20000 }), (limitMiB, maxMiB) => {
    const build = () => new RedisCache(chart(), 'redis', {
      credentials: { secretName: 'r' }, resources: { memoryLimit: Size.mebibytes(limitMiB) }, settings: { maxmemory: Size.mebibytes(maxMiB) },
    });
    if (maxMiB < limitMiB) {
      expect(build().serverFlags.maxmemory).toBe(`${maxMiB}mb`);
    } else {
      expect(build).toThrow(/'settings.maxmemory' .* must be below the memory limit/);
    }
  }), RUNS);
});
