/** Jest runs TypeScript through SWC (no type checking: `npm run typecheck` does that once). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.tsx?$': ['@swc/jest', {
      jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
      module: { type: 'commonjs' },
    }],
  },
  // Jest's default is one worker less than the cores: a single worker on CI's 2 cores, while the
  // parent process mostly waits. Two workers there make warm `npm test` about twice as fast.
  maxWorkers: '100%',
  // One temporary folder per run, removed at its end: /tmp stays clean and small.
  globalSetup: '<rootDir>/test/support/temp-dir-setup.ts',
  globalTeardown: '<rootDir>/test/support/temp-dir-teardown.ts',
  // Jest must not pick up compiled copies or synthesized output.
  modulePathIgnorePatterns: ['<rootDir>/build/', '<rootDir>/dist/'],
};
