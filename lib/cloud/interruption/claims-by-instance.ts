import { NodeClaim, NodeClaimKind } from '../../kinds/node-claim';
import type { ObjectStore } from '../../store/object-store';

/** NodeClaims are listed in pages of this many. */
const PAGE = 500;

/**
 * The instance a claim holds: its status.instanceId, else the last segment of its providerID
 * (`aws:///us-east-1a/i-0abc` holds `i-0abc`), as Karpenter reads the id out of the providerID.
 */
export function instanceIdOf(claim: NodeClaim): string | undefined {
  return claim.status.instanceId ?? (claim.status.providerID?.split('/').pop() || undefined);
}

/**
 * Every launched NodeClaim by the instance it holds: one list of the claims (every page) per batch
 * of messages, as Karpenter builds its instance-id map once per batch. Claims not launched yet hold
 * no instance and are left out.
 */
export async function claimsByInstance(store: ObjectStore): Promise<Map<string, NodeClaim>> {
  const claims = new Map<string, NodeClaim>();
  let token: string | undefined;
  do {
    const page = await store.list(NodeClaimKind, { limit: PAGE, ...(token ? { continue: token } : {}) });
    for (const item of page.items) {
      const parsed = NodeClaim.safeParse(item);
      const instanceId = parsed.success ? instanceIdOf(parsed.data) : undefined;
      if (parsed.success && instanceId !== undefined) claims.set(instanceId, parsed.data);
    }
    token = page.metadata.continue;
  } while (token);
  return claims;
}
