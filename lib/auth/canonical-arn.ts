/**
 * The ARN an identity is mapped by, as aws-iam-authenticator's arn.Canonicalize computes it: an
 * assumed-role session `arn:aws:sts::ACCOUNT:assumed-role/NAME/SESSION` becomes its role
 * `arn:aws:iam::ACCOUNT:role/NAME` (so one access entry covers every session of the role; the
 * role's IAM path is not in the session ARN and is dropped), IAM users, roles, the account root
 * and STS federated users are kept as they are. Anything else is undefined: not an identity
 * Skiff maps.
 */
export function canonicalArn(arn: string): string | undefined {
  const match =
    /^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b|aws-iso-e|aws-iso-f):(iam|sts)::(\d{12}):(.+)$/.exec(arn);
  if (match === null) return undefined;
  const [, partition, service, account, resource] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
  ];
  const parts = resource.split('/');
  const type = parts[0];
  if (service === 'sts') {
    if (type === 'federated-user') return arn;
    if (type === 'assumed-role' && parts.length >= 3 && parts[1] !== '') {
      return `arn:${partition}:iam::${account}:role/${parts[1]}`;
    }
    return undefined;
  }
  return type === 'role' || type === 'user' || type === 'root' ? arn : undefined;
}
