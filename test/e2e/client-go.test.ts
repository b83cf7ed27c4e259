import { CLIENT_GO_WRITER, describeRun, ensureBuilt, itWithTool, runCommand } from './real-tools/tools';
import { aKubeconfigServer } from './real-tools/kubeconfig-server';

/**
 * client-go as controllers and operators use it: a clientset made from a kubeconfig with nothing
 * overridden, so built-in kinds travel as protobuf (application/vnd.kubernetes.protobuf) both
 * ways. The Go program (test/e2e/client-go/writer) checks each answer itself and exits non-zero
 * with the step and client-go's error on the first failure.
 */

const STEPS = [
  'create namespace',
  'create configmap',
  'update configmap',
  'get configmap',
  'apply configmap',
  'list configmaps',
  'delete configmap',
  'get deleted configmap',
  'create deployment',
  'update deployment',
  'apply deployment',
  'delete deployment',
  'get deleted deployment',
];

const itWithWriter = itWithTool(
  'the client-go writer',
  ensureBuilt('build-client-go-writer.sh', CLIENT_GO_WRITER),
  'npm run engines:fetch builds it (it needs Go 1.26 and the Go module proxy).',
);

describe('client-go with its default (protobuf) configuration', () => {
  const { server, kubeconfig } = aKubeconfigServer('skiff-client-go-');

  itWithWriter(
    'creates, updates, applies (typed apply configurations) and deletes a ConfigMap and a Deployment, all in protobuf',
    async () => {
      // -v=8: client-go logs each request's Content-Type and Accept, for the transcript of a failure.
      const args = ['-kubeconfig', kubeconfig(), '-namespace', 'client-go', '-v=8'];
      const result = await runCommand(CLIENT_GO_WRITER, args);
      if (result.code !== 0) throw new Error(describeRun(CLIENT_GO_WRITER, args, result));
      expect(result.stdout.trim().split('\n')).toEqual(STEPS.map((step) => `ok ${step}`));
      // The default really is protobuf: every write went out as such (client-go logs its headers at -v=8).
      expect(result.stderr).toMatch(/Content-Type: application\/vnd\.kubernetes\.protobuf/);
      expect(result.stderr).not.toMatch(/Content-Type: application\/json/);
      expect(server().exited()).toBeUndefined();
    },
    60_000,
  );
});
