import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Construct } from 'constructs';
import * as lib from '../../lib';

// Every construct class lib/index.ts exports has a fuzz entry (`new <Class>(` or a static factory `<Class>.<name>(` in a test/fuzz file),
// so the fuzz coverage of issue #17 cannot silently shrink when a construct is added.
/** Exported Construct subclasses that are no construct a user configures with props, and why. */
const NOT_FUZZED: Record<string, string> = {
  // The App every fuzz case builds in (the harness's root), not a construct of an app.
  GuardrailsApp: 'the root of every fuzz case',
  // Abstract bases: fuzzed through their subclasses (PostgresDatabase, RedisCache; EncryptedStorageClass, LocalStorageClass).
  StatefulDataService: 'abstract base of PostgresDatabase and RedisCache',
  StorageClassBase: 'abstract base of EncryptedStorageClass and LocalStorageClass',
};

const FUZZ_SOURCES = readdirSync(__dirname).filter(f => f.endsWith('.test.ts')).map(f => readFileSync(join(__dirname, f), 'utf8')).join('\n');

function isConstructClass(value: unknown): value is abstract new (...args: any[]) => Construct {
  return typeof value === 'function' && value.prototype instanceof Construct;
}

test('every exported construct class has a fuzz entry', () => {
  const constructs = Object.entries(lib).filter(([, v]) => isConstructClass(v)).map(([name]) => name).sort();
  expect(constructs.length).toBeGreaterThan(40);
  const missing = constructs.filter(name => !(name in NOT_FUZZED) && !new RegExp(`(\\bnew ${name}\\(|\\b${name}\\.[a-zA-Z]+\\()`).test(FUZZ_SOURCES));
  expect(missing).toEqual([]);
});

test('the exclusion list names only exported construct classes', () => {
  for (const name of Object.keys(NOT_FUZZED)) expect(isConstructClass((lib as any)[name])).toBe(true);
});
