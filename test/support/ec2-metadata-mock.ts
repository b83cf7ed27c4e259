import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './engines/free-port';
import { PROJECT_ROOT } from './engines/project-root';
import { runInstallScript } from './engines/run-install-script';
import { waitForHttp } from './engines/wait-for-http';

/** The binary scripts/engines/fetch-ec2-metadata-mock.sh builds. */
export const EC2_METADATA_MOCK = join(PROJECT_ROOT, '.cache', 'ec2-metadata-mock', 'ec2-metadata-mock');

const PORT_ATTEMPTS = 3;
const OUTPUT_TAIL_CHARS = 4_000;

/** What the emulated instance is. Values are AEMM's config keys (its `metadata.values`). */
export interface MetadataMockInstance {
  instanceId: string;
  instanceType: string;
  zone: string;
  region: string;
  localIpv4: string;
  localHostname: string;
  lifecycle: 'on-demand' | 'spot';
  /** The account in the instance identity document; default 123456789012 (moto's). */
  accountId?: string;
  credentials: { accessKeyId: string; secretAccessKey: string; token: string; expiration: Date };
}

export interface RunningMetadataMock {
  /** e.g. `http://127.0.0.1:41234`, for AWS_EC2_METADATA_SERVICE_ENDPOINT. */
  endpoint: string;
  stop(): Promise<void>;
}

/**
 * Starts amazon-ec2-metadata-mock for one emulated instance on a free loopback port, IMDSv2 only
 * (`-I`: a call without a session token is refused with 401, as under the launch template's
 * `httpTokens: required`). Builds the emulator first if it is not in .cache yet.
 */
export async function startEc2MetadataMock(instance: MetadataMockInstance): Promise<RunningMetadataMock> {
  if (!existsSync(EC2_METADATA_MOCK)) await runInstallScript('fetch-ec2-metadata-mock.sh');
  const folder = await mkdtemp(join(tmpdir(), 'skiff-aemm-'));
  const config = join(folder, 'config.json');
  await writeFile(config, JSON.stringify(configOf(instance)));
  for (let attempt = 1; ; attempt++) {
    try {
      const started = await startOnPort(config, await freePort());
      return {
        endpoint: started.endpoint,
        stop: async () => {
          await started.stop();
          await rm(folder, { recursive: true, force: true });
        },
      };
    } catch (error) {
      const portTaken = error instanceof Error && /address already in use/i.test(error.message);
      if (!portTaken || attempt >= PORT_ATTEMPTS) {
        await rm(folder, { recursive: true, force: true });
        throw error;
      }
    }
  }
}

function configOf(instance: MetadataMockInstance): object {
  return {
    metadata: {
      values: {
        'instance-id': instance.instanceId,
        'instance-type': instance.instanceType,
        'placement-availability-zone': instance.zone,
        'placement-region': instance.region,
        'local-ipv4': instance.localIpv4,
        'local-hostname': instance.localHostname,
        'instance-life-cycle': instance.lifecycle,
        'iam-security-credentials-role': 'skiff-node',
        'iam-security-credentials': {
          Code: 'Success',
          Type: 'AWS-HMAC',
          AccessKeyId: instance.credentials.accessKeyId,
          SecretAccessKey: instance.credentials.secretAccessKey,
          Token: instance.credentials.token,
          Expiration: instance.credentials.expiration.toISOString(),
        },
      },
      paths: { 'iam-security-credentials': '/latest/meta-data/iam/security-credentials/skiff-node' },
    },
    // The identity document the agent's direct heartbeat reads its instance ARN from.
    dynamic: {
      values: {
        'instance-identity-document': {
          accountId: instance.accountId ?? '123456789012',
          instanceId: instance.instanceId,
          region: instance.region,
          availabilityZone: instance.zone,
          instanceType: instance.instanceType,
          privateIp: instance.localIpv4,
          version: '2017-09-30',
        },
      },
    },
  };
}

async function startOnPort(config: string, port: number): Promise<RunningMetadataMock> {
  const child = spawn(EC2_METADATA_MOCK, ['-c', config, '-n', '127.0.0.1', '-p', String(port), '-I'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keepTail = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-OUTPUT_TAIL_CHARS);
  };
  child.stdout.on('data', keepTail);
  child.stderr.on('data', keepTail);
  let exitReason: string | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('error', (error) => {
      exitReason = `could not start: ${error.message}`;
      resolve();
    });
    child.once('exit', (code, signal) => {
      exitReason = `exited with ${signal ?? `code ${code}`}`;
      resolve();
    });
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const stop = async () => {
    process.removeListener('exit', killOnExit);
    if (exitReason === undefined) child.kill('SIGTERM');
    await exited;
  };
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${endpoint}/latest/api/token`, { timeoutMs: 10_000, abandoned: () => exitReason });
  } catch (error) {
    await stop();
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `amazon-ec2-metadata-mock did not start: ${reason}\n--- its output ---\n${output.trim()}`,
    );
  }
  return { endpoint, stop };
}
