import { Node, NodeKind } from '../../kinds/node';
import { NodeClaim, NodeClaimKind } from '../../kinds/node-claim';
import type { ObjectStore } from '../../store/object-store';
import { getIfPresent } from '../../store/get-if-present';
import { listAll } from '../../store/list-all';

/** The reads the claim controller makes, with NotFound as "absent" and every page of a list. */
export async function getClaim(store: ObjectStore, name: string): Promise<NodeClaim | undefined> {
  const stored = await getIfPresent(store, NodeClaimKind, undefined, name);
  // Parsed with its schema, so every defaulted field (status included) is there to read.
  return stored === undefined ? undefined : NodeClaim.parse(stored);
}

export async function getNode(store: ObjectStore, name: string): Promise<Node | undefined> {
  const stored = await getIfPresent(store, NodeKind, undefined, name);
  return stored === undefined ? undefined : Node.parse(stored);
}

/**
 * The claim's Node: the one of the claim's name (Skiff's convention), unless it reports another
 * instance's providerID; else the one whose providerID is the claim's (a Node named otherwise).
 */
export async function nodeOfClaim(store: ObjectStore, claim: NodeClaim): Promise<Node | undefined> {
  const { providerID } = claim.status;
  const named = await getNode(store, claim.status.nodeName ?? claim.metadata.name ?? '');
  if (named !== undefined && (named.spec.providerID === undefined || named.spec.providerID === providerID))
    return named;
  if (providerID === undefined) return undefined;
  const found = (await listAll(store, NodeKind)).find(
    (node) => (node.spec as { providerID?: string } | undefined)?.providerID === providerID,
  );
  return found === undefined ? undefined : Node.parse(found);
}
