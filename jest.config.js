/**
 * One jest run covers unit, integration and infra tests. The global setup starts each test engine
 * (dynalite, DynamoDB Local, moto server) once per run on loopback; see test/support/engines.
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.(ts|m?js)$': '<rootDir>/test/support/esbuild-transformer.js',
  },
  // @middy/core, @marcbachmann/cel-js, @kubernetes/client-node 1.x and a few of its dependencies ship only ES modules: compile them too.
  transformIgnorePatterns: [
    '/node_modules/(?!(@middy/core|@marcbachmann/cel-js|@kubernetes/client-node|openid-client|oauth4webapi|jose|jsonpath-plus|rfc4648)/)',
  ],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  maxWorkers: 2,
  testTimeout: 30000,
};
