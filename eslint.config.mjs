// ESLint for cdk8s-guardrails, modelled on the rules projen generates for cdk8s and AWS CDK
// construct libraries: typescript-eslint's recommended set, import hygiene, and the stylistic rules
// projen sets (2-space indent, single quotes, trailing commas, semicolons, 150 columns).
import js from '@eslint/js';
import stylistic from '@stylistic/eslint-plugin';
import importPlugin from 'eslint-plugin-import';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['build/', 'dist/', 'imports/', 'node_modules/', 'coverage/', '.tools/', 'examples/app-repo/build/', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.js', '**/*.mjs', '**/*.cjs'],
    linterOptions: { reportUnusedDisableDirectives: 'warn' },
    plugins: { '@stylistic': stylistic, 'import': importPlugin },
    languageOptions: { globals: { ...nodeGlobals() } },
    settings: { 'import/resolver': { node: { extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'] } } },
    rules: {
      // projen: import hygiene
      'import/no-extraneous-dependencies': ['error', {
        devDependencies: ['test/**', 'bench/**', 'scripts/**', 'apps/**', 'examples/**', 'eslint.config.mjs'],
        optionalDependencies: false, peerDependencies: true,
      }],
      'import/no-duplicates': 'error',
      'import/order': ['warn', { groups: ['builtin', 'external'], alphabetize: { order: 'asc', caseInsensitive: true } }],
      'no-duplicate-imports': 'error',
      // projen: correctness
      '@typescript-eslint/no-require-imports': 'error',
      '@typescript-eslint/no-shadow': 'error',
      '@typescript-eslint/no-explicit-any': 'off', // manifests are untyped JSON by nature
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-shadow': 'off',
      'no-return-await': 'off',
      'dot-notation': 'error',
      'no-bitwise': 'off', // CIDR arithmetic
      'curly': ['error', 'multi-line', 'consistent'],
      // projen: style
      '@stylistic/indent': ['error', 2],
      '@stylistic/quotes': ['error', 'single', { avoidEscape: true }],
      '@stylistic/comma-dangle': ['error', 'always-multiline'],
      '@stylistic/comma-spacing': ['error', { before: false, after: true }],
      '@stylistic/no-multi-spaces': ['error', { ignoreEOLComments: true }],
      '@stylistic/array-bracket-spacing': ['error', 'never'],
      '@stylistic/array-bracket-newline': ['error', 'consistent'],
      '@stylistic/object-curly-spacing': ['error', 'always'],
      '@stylistic/object-curly-newline': ['error', { multiline: true, consistent: true }],
      '@stylistic/keyword-spacing': ['error'],
      '@stylistic/brace-style': ['error', '1tbs', { allowSingleLine: true }],
      '@stylistic/space-before-blocks': ['error'],
      '@stylistic/member-delimiter-style': ['error'],
      '@stylistic/semi': ['error', 'always'],
      '@stylistic/max-len': ['error', { code: 150, ignoreUrls: true, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreComments: true, ignoreRegExpLiterals: true }],
      '@stylistic/quote-props': ['error', 'consistent-as-needed'],
      '@stylistic/key-spacing': ['error'],
      '@stylistic/no-multiple-empty-lines': ['error', { max: 1 }],
      '@stylistic/no-trailing-spaces': ['error'],
      '@stylistic/eol-last': ['error', 'always'],
    },
  },
  {
    // CommonJS scripts load their dependencies with require().
    files: ['**/*.cjs', 'jest.config.js', 'jest.cluster.config.js'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);

/** Node's globals, without a dependency on the `globals` package. */
function nodeGlobals() {
  const names = ['process', 'Buffer', 'console', 'require', 'module', '__dirname', '__filename', 'exports', 'setTimeout',
    'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'URL', 'TextEncoder', 'TextDecoder', 'structuredClone',
    'SharedArrayBuffer', 'Atomics', 'performance', 'fetch', 'AbortController', 'queueMicrotask'];
  return Object.fromEntries(names.map(n => [n, 'readonly']));
}
