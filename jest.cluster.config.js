/**
 * `npm run test:cluster`: the suites under test/cluster that run a real kube-apiserver (see
 * test/cluster/support/kube-server.ts). Kept out of `npm test`: a cold run builds kube-apiserver.
 */
const base = require('./jest.config');

module.exports = {
  ...base,
  roots: ['<rootDir>/test/cluster'],
  testMatch: ['**/*.cluster.ts'],
  testTimeout: 30 * 60 * 1000,
  // One server at a time on a 2-core machine.
  maxWorkers: 1,
};
