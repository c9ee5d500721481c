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
  // Jest must not pick up compiled copies or synthesized output.
  modulePathIgnorePatterns: ['<rootDir>/build/', '<rootDir>/dist/'],
};
