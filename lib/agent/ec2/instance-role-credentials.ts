import type { InstanceMetadataClient } from './instance-metadata';

const CREDENTIALS_PATH = 'meta-data/iam/security-credentials/';

/** Temporary credentials of the instance's role, in the shape the AWS SDK's clients take. */
export interface InstanceRoleCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
}

interface MetadataCredentials {
  Code?: string;
  AccessKeyId?: string;
  SecretAccessKey?: string;
  Token?: string;
  Expiration?: string;
}

/**
 * A credentials provider for SDK clients on a node: the instance profile's role, read through the
 * same IMDSv2 client as the identity. The SDK's default chain would find the same credentials, but
 * only after trying the SSO, INI and process providers, which the agent bundle leaves out as the
 * Lambda bundles do; a node has no other credentials to find. The SDK calls it again as the
 * expiration nears (EC2 rotates role credentials hours before they expire).
 */
export function instanceRoleCredentials(
  metadata: InstanceMetadataClient,
): () => Promise<InstanceRoleCredentials> {
  return async () => {
    const role = (await metadata.get(CREDENTIALS_PATH)).split('\n')[0]?.trim();
    if (role === undefined || role === '') {
      throw new Error(
        `instance metadata ${CREDENTIALS_PATH}: no role (has the instance an instance profile?)`,
      );
    }
    const path = `${CREDENTIALS_PATH}${role}`;
    const answer = JSON.parse(await metadata.get(path)) as MetadataCredentials;
    if (answer.Code !== undefined && answer.Code !== 'Success') {
      throw new Error(`instance metadata ${path}: ${answer.Code}`);
    }
    const { AccessKeyId, SecretAccessKey, Token, Expiration } = answer;
    if (!AccessKeyId || !SecretAccessKey || !Token || !Expiration) {
      throw new Error(
        `instance metadata ${path}: AccessKeyId, SecretAccessKey, Token and Expiration are required`,
      );
    }
    return {
      accessKeyId: AccessKeyId,
      secretAccessKey: SecretAccessKey,
      sessionToken: Token,
      expiration: new Date(Expiration),
    };
  };
}
