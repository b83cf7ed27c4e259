import { NODE, anAgentCluster, type AgentCluster } from './agent-harness';

/**
 * A pod's env from Secrets, through the real API and a real agent running the pod as a process:
 * the agent reads the Secret's base64 data decoded, as the kubelet does for secretKeyRef and
 * envFrom.secretRef.
 */
describe('node agent: env from Secrets', () => {
  let cluster: AgentCluster;
  const secrets = { apiVersion: 'v1', plural: 'secrets', namespace: 'default' } as const;
  beforeAll(async () => {
    cluster = await anAgentCluster();
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  /** A container that exits 0 only when SUMMARY is what the test expects. */
  const checking = (expected: string, env: Record<string, unknown>) => ({
    name: 'main',
    image: 'node',
    command: [NODE, '-e', 'process.exit(process.env.SUMMARY === process.argv[1] ? 0 : 9)'],
    args: [expected],
    ...env,
  });

  it('gives a container one key with secretKeyRef and every key with envFrom, decoded', async () => {
    await cluster.client.create(secrets, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'db' },
      stringData: { USER: 'web', PASSWORD: 'p@ss wörd' },
      data: { TOKEN: Buffer.from('t0k3n').toString('base64') },
    });
    await cluster.createPod('secret-env', {
      restartPolicy: 'Never',
      containers: [
        checking('web|p@ss wörd|t0k3n|p@ss wörd', {
          envFrom: [{ secretRef: { name: 'db' }, prefix: 'DB_' }],
          env: [
            { name: 'ONLY', valueFrom: { secretKeyRef: { name: 'db', key: 'PASSWORD' } } },
            { name: 'SUMMARY', value: '$(DB_USER)|$(DB_PASSWORD)|$(DB_TOKEN)|$(ONLY)' },
          ],
        }),
      ],
    });
    const pod = await cluster.podWhere('secret-env', (current) =>
      expect(['Succeeded', 'Failed']).toContain(current.status.phase),
    );
    expect(pod.status.containerStatuses?.[0].state?.terminated?.exitCode).toBe(0);
  });

  it('waits in CreateContainerConfigError for a missing Secret or key, naming neither value', async () => {
    await cluster.createPod('no-secret', {
      containers: [checking('', { envFrom: [{ secretRef: { name: 'absent' } }] })],
    });
    const missing = await cluster.podWhere('no-secret', (current) =>
      expect(current.status.containerStatuses?.[0].state?.waiting?.reason).toBe('CreateContainerConfigError'),
    );
    expect(missing.status.containerStatuses?.[0].state?.waiting?.message).toBe('secret "absent" not found');

    await cluster.createPod('no-key', {
      containers: [
        checking('', { env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'db', key: 'NOPE' } } }] }),
      ],
    });
    const noKey = await cluster.podWhere('no-key', (current) =>
      expect(current.status.containerStatuses?.[0].state?.waiting?.reason).toBe('CreateContainerConfigError'),
    );
    expect(noKey.status.containerStatuses?.[0].state?.waiting?.message).toBe(
      "couldn't find key NOPE in Secret default/db",
    );
    expect(JSON.stringify(noKey)).not.toContain('p@ss');
  });

  it('runs with an optional Secret that is missing', async () => {
    await cluster.createPod('optional', {
      restartPolicy: 'Never',
      containers: [
        checking('unset', {
          env: [
            { name: 'X', valueFrom: { secretKeyRef: { name: 'absent', key: 'k', optional: true } } },
            { name: 'SUMMARY', value: 'unset' },
          ],
        }),
      ],
    });
    const pod = await cluster.podWhere('optional', (current) =>
      expect(['Succeeded', 'Failed']).toContain(current.status.phase),
    );
    expect(pod.status.containerStatuses?.[0].state?.terminated?.exitCode).toBe(0);
  });
});
