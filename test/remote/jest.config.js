/**
 * The remote suite (`npm run test:remote`): end-to-end tests against a deployed Skiff instead of an
 * in-process server, selected by SKIFF_TARGET=localstack or SKIFF_API_URL (test/support/remote-target.ts).
 * It reuses the main config's transform and global setup (with SKIFF_ENGINES=none it starts no
 * engine) and runs test/remote plus existing suites whose bodies hold against a deployed stack:
 * the store conformance suite against the target's DynamoDB endpoint (SKIFF_DYNAMODB_ENDPOINT, or
 * the target's), and API suites whose server comes from spawnLocalServer; those expect a freshly
 * deployed stack (names in `default`), in the order sequencer.js fixes. One worker: the suites
 * share one deployed stack and its control loops.
 * @type {import('jest').Config}
 */
const base = require('../../jest.config.js');

module.exports = {
  ...base,
  rootDir: '../..',
  testMatch: [
    '<rootDir>/test/remote/**/*.test.ts',
    '<rootDir>/test/integration/store/object-store.conformance.test.ts',
    // API suites whose server comes from spawnLocalServer, which hands them the deployed API behind
    // a loopback proxy adding the bearer token (test/support/remote-proxy.ts). kubectl-parity polls
    // until the deployed reconcilers catch up, and skips by name the cases that need nodes or a
    // streamed watch (REMOTE_GAPS in test/support/remote-target.ts).
    '<rootDir>/test/e2e/kubectl-explain.test.ts',
    '<rootDir>/test/e2e/kubectl-server-side-apply.test.ts',
    '<rootDir>/test/e2e/kubectl-parity.test.ts',
  ],
  // Leaves out the conformance suite's 1,000-write race, which LocalStack's gateway (Python, like
  // moto, which the suite spares it too) makes take minutes; it runs on DynamoDB Local in `npm test`.
  testNamePattern: '^(?!.*race 125 read-modify-writes)',
  maxWorkers: 1,
  testSequencer: '<rootDir>/test/remote/sequencer.js',
  testTimeout: 120000,
};
