/**
 * Who a node is: what its agent registers the Node as. On EC2 it is read from the instance's
 * metadata (ec2/instance-identity.ts); a local node is given it by the embedded cluster that
 * launched it. Either way the node is named after its NodeClaim, so the claim finds its Node.
 */
export interface NodeIdentity {
  /** The NodeClaim's name, which is the Node's name. */
  nodeName: string;
  /** `aws:///<zone>/<instance-id>` on EC2, `local:///<zone>/<id>` locally: the claim's providerID. */
  providerID: string;
  zone: string;
  instanceType: string;
  capacityType: 'on-demand' | 'spot';
  nodePool?: string;
  /** The address the node's agent server listens on, and the Node's InternalIP. */
  internalIP: string;
  hostname: string;
  architecture: 'amd64' | 'arm64';
}
