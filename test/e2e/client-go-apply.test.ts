import { join } from 'node:path';
import { PROJECT_ROOT } from '../support/engines/project-root';
import { describeRun, ensureBuilt, itWithTool, runCommand } from './real-tools/tools';
import { aKubeconfigServer } from './real-tools/kubeconfig-server';

/** The client-go applier (test/e2e/client-go/applier), built by scripts/engines/build-client-go-applier.sh. */
const CLIENT_GO_APPLIER = join(PROJECT_ROOT, '.cache/client-go-applier/applier');

const STEPS = ['create namespace', 'apply creates', 'conflict', 'force', 'extract', 'delete'];

const itWithApplier = itWithTool(
  'the client-go applier',
  ensureBuilt('build-client-go-applier.sh', CLIENT_GO_APPLIER),
  'npm run engines:fetch builds it (it needs Go 1.26 and the Go module proxy).',
);

/**
 * Server-side apply through client-go's typed apply configurations: the Go program checks every
 * answer itself (a create by Apply, a second manager's 409 with a FieldManagerConflict cause on
 * .spec.replicas, Force, and managedFields that client-go's ExtractDeployment reads per manager)
 * and exits non-zero with the step and client-go's error on the first failure.
 */
describe('client-go Apply', () => {
  const { kubeconfig } = aKubeconfigServer('skiff-client-go-apply-');

  itWithApplier(
    'applies, conflicts, forces, and reads back who owns what from managedFields',
    async () => {
      const args = ['-kubeconfig', kubeconfig(), '-namespace', 'client-go-apply'];
      const result = await runCommand(CLIENT_GO_APPLIER, args);
      if (result.code !== 0) throw new Error(describeRun(CLIENT_GO_APPLIER, args, result));
      expect(result.stdout.trim().split('\n')).toEqual(STEPS.map((step) => `ok ${step}`));
    },
    60_000,
  );
});
