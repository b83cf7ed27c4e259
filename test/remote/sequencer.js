/**
 * Runs the remote suites in one fixed order (jest's default orders by past failures and size):
 * the reused API suites name objects in the deployed stack's `default` namespace and expect a
 * fresh stack, and kubectl-explain's strict-validation case must see no `web` Deployment there
 * before kubectl-server-side-apply creates one.
 */
const Sequencer = require('@jest/test-sequencer').default;

const ORDER = [
  'kubectl-explain',
  'kubectl-server-side-apply',
  'kubectl-parity',
  'kubectl-examples',
  'controllers',
  'object-store.conformance',
];
const rank = (path) => {
  const index = ORDER.findIndex((name) => path.includes(`${name}.test.ts`));
  return index < 0 ? ORDER.length : index;
};

class RemoteSequencer extends Sequencer {
  sort(tests) {
    return [...tests].sort((a, b) => rank(a.path) - rank(b.path));
  }
}

module.exports = RemoteSequencer;
