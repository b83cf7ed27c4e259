/**
 * The vocabulary every authorizer shares, as k8s.io/apiserver's authorizer package has it: who asks
 * (a user and their groups) and what an authorizer answers.
 */

/** An authenticated identity: `alice`, `system:serviceaccount:ns:name`, `system:node:ip-10-0-0-1`. */
export interface UserInfo {
  name: string;
  groups: readonly string[];
  /** A stable id when the authenticator has one (EKS's `aws-iam-authenticator:ACCOUNT:USERID`). */
  uid?: string;
  /** The authenticator's other facts (kube's user.Info Extra): on AWS `arn`, `canonicalArn`, … */
  extra?: Readonly<Record<string, readonly string[]>>;
}

/**
 * kube's three decisions: allow and deny end the evaluation; no-opinion passes it to the next
 * authorizer, and a request no authorizer allows is forbidden. `reason` is kube's text.
 */
export type Decision =
  | { decision: 'allow'; reason: string }
  | { decision: 'deny'; reason: string }
  | { decision: 'no-opinion'; reason: string };

export const noOpinion = (reason = ''): Decision => ({ decision: 'no-opinion', reason });
export const allow = (reason: string): Decision => ({ decision: 'allow', reason });
export const deny = (reason: string): Decision => ({ decision: 'deny', reason });
