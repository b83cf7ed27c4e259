import { AccessEntryKind, type AccessEntry, type AccessEntrySpec } from '../kinds/access-entry';
import type { KindInfo } from '../kinds/kind-info';
import type { Node } from '../kinds/node';
import { NodeKind } from '../kinds/node';
import type { NodeClaim } from '../kinds/node-claim';
import { NodeClaimKind } from '../kinds/node-claim';
import type { UserInfo } from '../authz/decision';
import { NODE_USER_PREFIX, NODES_GROUP } from '../authz/node-authorizer';
import { listAll } from '../authz/store-policy-source';
import type { ObjectStore } from '../store/object-store';
import { canonicalArn } from './canonical-arn';
import { OPERATOR_USER_PREFIX, OPERATORS_GROUP, type OperatorGrant } from '../operators/operator-access';
import type { AwsIdentity } from './eks-token';

/** Every authenticated user's group, as kube-apiserver adds it. */
export const AUTHENTICATED_GROUP = 'system:authenticated';
/** The group the deploying principal's built-in entry grants: cluster-admin through kube's default binding. */
export const MASTERS_GROUP = 'system:masters';
/** How long stored AccessEntries, NodeClaims and Nodes answer mappings before they are read again. */
export const MAPPING_CACHE_MS = 5_000;

/** An entry as the mapper uses it: a stored AccessEntry's spec, or a built-in one from the stack. */
export interface MappingEntry {
  /** Where it comes from, for logs: `accessentry/developers`, `built-in admin`. */
  readonly source: string;
  readonly spec: AccessEntrySpec;
}

export interface IdentityMapperOptions {
  store: ObjectStore;
  /** The deploying principal (SKIFF_ADMIN_PRINCIPAL_ARN): a built-in STANDARD entry in system:masters. */
  adminPrincipalArn?: string;
  /** The nodes' instance role (SKIFF_NODE_ROLE_ARN): a built-in EC2 entry. */
  nodeRoleArn?: string;
  /** The stack's operators (SKIFF_OPERATORS): each role a built-in entry for its operator's user. */
  operators?: readonly Pick<OperatorGrant, 'name' | 'roleArn'>[];
  cacheMs?: number;
  now?: () => number;
}

/** A verified AWS identity's Kubernetes user, or undefined when no entry maps it (answered 401). */
export type MapIdentity = (identity: AwsIdentity) => Promise<UserInfo | undefined>;

/**
 * Maps a verified caller to a Kubernetes user as EKS access entries do. The caller's canonical ARN
 * (an assumed-role session's role) is looked up among the built-in entries (the deploying
 * principal, then the node role) and the stored AccessEntries (by name), the first match deciding:
 * - STANDARD: `spec.username` with its templates expanded, or the ARN STS answered; `spec.groups`;
 * - EC2: `system:node:<node>` in `system:nodes`, where the node is the NodeClaim (or Node) whose
 *   instance id is the session name, EC2's name for an instance-profile session. An instance Skiff
 *   does not know is not mapped.
 * Every user also gets `system:authenticated`, EKS's uid `aws-iam-authenticator:ACCOUNT:USERID`
 * and aws-iam-authenticator's extra (arn, canonicalArn, sessionName, accessKeyId, principalId).
 * Stored objects are read at most once per `cacheMs`, so a new or removed entry takes effect within
 * that time (plus the API Gateway authorizer cache, see infra/constructs/api-authorizer.ts).
 */
export function identityMapper(options: IdentityMapperOptions): MapIdentity {
  const cacheMs = options.cacheMs ?? MAPPING_CACHE_MS;
  const now = options.now ?? Date.now;
  const entries = cachedList<AccessEntry>(options.store, AccessEntryKind, cacheMs, now);
  const claims = cachedList<NodeClaim>(options.store, NodeClaimKind, cacheMs, now);
  const nodes = cachedList<Node>(options.store, NodeKind, cacheMs, now);
  const builtIn = builtInEntries(options);

  return async (identity) => {
    const key = matchKey(identity.canonicalArn);
    const stored = (await entries())
      .slice()
      .map((entry) => ({ source: `accessentry/${entry.metadata.name ?? ''}`, spec: entry.spec }))
      .sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : 0));
    const entry = [...builtIn, ...stored].find((e) => matchKey(e.spec.principalArn) === key);
    if (entry === undefined) return undefined;
    if (entry.spec.type === 'EC2') {
      const node = await nodeNameOfInstance(identity.sessionName, claims, nodes);
      return node === undefined ? undefined : userInfo(identity, `${NODE_USER_PREFIX}${node}`, [NODES_GROUP]);
    }
    const name = renderUsername(entry.spec.username, identity);
    return name === undefined ? undefined : userInfo(identity, name, entry.spec.groups ?? []);
  };
}

/** The stack's own entries: the deploying principal as cluster admin and the node role. */
export function builtInEntries(
  options: Pick<IdentityMapperOptions, 'adminPrincipalArn' | 'nodeRoleArn' | 'operators'>,
) {
  const entries: MappingEntry[] = [];
  const admin = options.adminPrincipalArn && canonicalArn(options.adminPrincipalArn);
  if (admin)
    entries.push({
      source: 'built-in admin',
      spec: { principalArn: admin, groups: [MASTERS_GROUP], type: 'STANDARD' },
    });
  if (options.nodeRoleArn)
    entries.push({ source: 'built-in node role', spec: { principalArn: options.nodeRoleArn, type: 'EC2' } });
  for (const operator of options.operators ?? [])
    entries.push({
      source: `built-in operator ${operator.name}`,
      spec: {
        principalArn: operator.roleArn,
        username: `${OPERATOR_USER_PREFIX}${operator.name}`,
        groups: [OPERATORS_GROUP],
        type: 'STANDARD',
      },
    });
  return entries;
}

/**
 * The ARN entries and callers are compared by: a role's IAM path is dropped, because a session's
 * ARN does not carry it (`role/team/Dev` and the session `assumed-role/Dev/alice` are one role),
 * as EKS compares them. Users keep their path: STS answers it for them.
 */
export function matchKey(arn: string): string {
  return arn.replace(/^(arn:[^:]+:iam::\d{12}:role\/)(?:[^/]*\/)*([^/]+)$/, '$1$2');
}

/**
 * A username template expanded as aws-iam-authenticator expands it: `{{AccountID}}`,
 * `{{SessionName}}` (with `@` written `-`, as user names from email sessions are) and
 * `{{SessionNameRaw}}`; unset, the ARN STS answered. Undefined when the template needs a session
 * and the caller has none (an IAM user): aws-iam-authenticator refuses it too.
 */
export function renderUsername(template: string | undefined, identity: AwsIdentity): string | undefined {
  if (template === undefined) return identity.arn;
  if (/\{\{SessionName(Raw)?\}\}/.test(template) && identity.sessionName === '') return undefined;
  return template
    .split('{{AccountID}}')
    .join(identity.accountId)
    .split('{{SessionNameRaw}}')
    .join(identity.sessionName)
    .split('{{SessionName}}')
    .join(identity.sessionName.replace(/@/g, '-'));
}

function userInfo(identity: AwsIdentity, name: string, groups: readonly string[]): UserInfo {
  return {
    name,
    uid: `aws-iam-authenticator:${identity.accountId}:${identity.userId}`,
    groups: [...new Set([...groups, AUTHENTICATED_GROUP])],
    extra: {
      arn: [identity.arn],
      canonicalArn: [identity.canonicalArn],
      sessionName: [identity.sessionName],
      accessKeyId: [identity.accessKeyId],
      principalId: [identity.userId],
    },
  };
}

/**
 * The node an instance-profile session belongs to: the NodeClaim whose status names the instance
 * (its Node has the claim's name), else a Node whose providerID ends with it (a node registered
 * outside a claim). The session name must look like an instance id.
 */
async function nodeNameOfInstance(
  instanceId: string,
  claims: () => Promise<NodeClaim[]>,
  nodes: () => Promise<Node[]>,
): Promise<string | undefined> {
  if (!/^i-[0-9a-f]{8,17}$/.test(instanceId)) return undefined;
  const claim = (await claims()).find((c) => c.status.instanceId === instanceId);
  if (claim) return claim.status.nodeName || claim.metadata.name;
  const node = (await nodes()).find((n) => (n.spec.providerID ?? '').split('/').pop() === instanceId);
  return node?.metadata.name;
}

/** A kind's objects, read again once `cacheMs` has passed; a failed read is not kept. */
function cachedList<T>(
  store: ObjectStore,
  kind: KindInfo,
  cacheMs: number,
  now: () => number,
): () => Promise<T[]> {
  let cached: { at: number; items: Promise<T[]> } | undefined;
  return () => {
    if (!cached || now() - cached.at >= cacheMs) {
      const items = listAll<T>(store, kind);
      cached = { at: now(), items };
      items.catch(() => (cached = undefined));
    }
    return cached.items;
  };
}
