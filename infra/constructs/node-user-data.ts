import { posix } from 'node:path';
import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { Construct } from 'constructs';
import { LAMBDA_NODE_OPTIONS } from '../bundle-options';
import {
  SKIFF_AGENT_DATA_DIR,
  SKIFF_AGENT_ENGINE,
  SKIFF_AGENT_IDENTITY,
  SKIFF_AGENT_RUNTIME,
  SKIFF_API_URL,
  SKIFF_TABLE_NAME,
} from '../../lib/config/env-names';
import { NODE_AGENT_FILE, type NodeAgentBundle } from './node-agent-bundle';

/** The systemd unit that runs the agent on every node. */
export const NODE_AGENT_UNIT = 'skiff-agent.service';

/** Where a node keeps the agent, its settings and its pods' files. */
export const NODE_PATHS = {
  bundleZip: '/opt/skiff/agent.zip',
  agentDir: '/opt/skiff/agent',
  environmentFile: '/etc/skiff/agent.env',
  unitFile: `/etc/systemd/system/${NODE_AGENT_UNIT}`,
  dataDir: '/var/lib/skiff',
} as const;

/**
 * Node.js 22, the bundle's target (bundle-options.ts). Amazon Linux 2023 namespaces its Node.js
 * packages: `nodejs22` installs `/usr/bin/node-22`, which stays that version whatever `node`
 * points at through `alternatives`.
 */
const NODE_PACKAGE = 'nodejs22';
const NODE_BINARY = '/usr/bin/node-22';

/** The agent's environment on EC2: the API it registers with, its identity from EC2, pods in docker. */
export function nodeAgentEnvironment(apiUrl: string, tableName: string): Record<string, string> {
  return {
    [SKIFF_API_URL]: apiUrl,
    // Where the agent renews its heartbeat item (the node role may write its own, nothing else).
    [SKIFF_TABLE_NAME]: tableName,
    [SKIFF_AGENT_IDENTITY]: 'ec2',
    [SKIFF_AGENT_RUNTIME]: 'container',
    [SKIFF_AGENT_ENGINE]: 'docker',
    [SKIFF_AGENT_DATA_DIR]: NODE_PATHS.dataDir,
  };
}

/**
 * The agent's systemd unit. `Restart=always` brings it back after any exit, a clean one included,
 * as the kubelet's unit does; 5 s apart keeps it under systemd's default start limit (5 starts in
 * 10 s), so it is never given up on. It needs docker, its container engine, up first.
 */
export function nodeAgentUnit(): string {
  return [
    '[Unit]',
    'Description=Skiff node agent',
    'Wants=network-online.target',
    'After=network-online.target docker.service',
    'Requires=docker.service',
    '',
    '[Service]',
    `EnvironmentFile=${NODE_PATHS.environmentFile}`,
    `Environment=NODE_OPTIONS=${LAMBDA_NODE_OPTIONS}`,
    `ExecStart=${NODE_BINARY} ${NODE_PATHS.agentDir}/${NODE_AGENT_FILE}`,
    'Restart=always',
    'RestartSec=5',
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ].join('\n');
}

export interface NodeUserDataProps {
  agentBundle: NodeAgentBundle;
  /** The Skiff API's URL (a token at synth time). */
  apiUrl: string;
  /** The object table's name, for the agent's heartbeat. */
  tableName: string;
}

/**
 * What a node runs at first boot (cloud-init, as root, logged to /var/log/cloud-init-output.log):
 * installs Node.js, docker and unzip from the Amazon Linux 2023 repositories, fetches the agent
 * bundle from its S3 asset with the node role, writes the agent's environment file and unit, and
 * starts it. `set -euo pipefail`: a step that fails stops the script, so a node without its agent
 * never looks set up.
 */
export function nodeUserData(scope: Construct, props: NodeUserDataProps): ec2.UserData {
  const userData = ec2.UserData.forLinux();
  const { asset } = props.agentBundle;
  userData.addCommands(
    'set -euo pipefail',
    `dnf install -y ${NODE_PACKAGE} docker unzip`,
    'systemctl enable --now docker.service',
  );
  userData.addS3DownloadCommand({
    bucket: asset.bucket,
    bucketKey: asset.s3ObjectKey,
    localFile: NODE_PATHS.bundleZip,
    region: Stack.of(scope).region,
  });
  const environment = Object.entries(nodeAgentEnvironment(props.apiUrl, props.tableName))
    .map(([name, value]) => `${name}=${value}`)
    .join('\n');
  userData.addCommands(
    `rm -rf ${NODE_PATHS.agentDir}`,
    `unzip -q ${NODE_PATHS.bundleZip} -d ${NODE_PATHS.agentDir}`,
    `install -d -m 0700 ${NODE_PATHS.dataDir}`,
    `install -d ${posix.dirname(NODE_PATHS.environmentFile)}`,
    ...writeFile(NODE_PATHS.environmentFile, `${environment}\n`),
    ...writeFile(NODE_PATHS.unitFile, nodeAgentUnit()),
    'systemctl daemon-reload',
    `systemctl enable --now ${NODE_AGENT_UNIT}`,
  );
  return userData;
}

/** A quoted here-document: the shell expands nothing in it. */
function writeFile(file: string, content: string): string[] {
  return [`cat > ${file} <<'SKIFF_EOF'`, content.replace(/\n$/, ''), 'SKIFF_EOF'];
}
