/** The fields of a GetCallerIdentity answer Skiff uses. */
export interface CallerIdentity {
  readonly arn: string;
  readonly account: string;
  readonly userId: string;
}

/**
 * Reads a GetCallerIdentity answer. STS answers JSON when asked with `accept: application/json`
 * (`{"GetCallerIdentityResponse":{"GetCallerIdentityResult":{...}}}`); other implementations
 * (moto, older endpoints) answer the query protocol's XML whatever the accept header says.
 */
export function parseCallerIdentity(body: string): CallerIdentity | undefined {
  const text = body.trim();
  return text.startsWith('{') ? fromJson(text) : fromXml(text);
}

function fromJson(text: string): CallerIdentity | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  const result = (
    parsed as { GetCallerIdentityResponse?: { GetCallerIdentityResult?: Record<string, unknown> } }
  )?.GetCallerIdentityResponse?.GetCallerIdentityResult;
  return complete(result?.Arn, result?.Account, result?.UserId);
}

function fromXml(text: string): CallerIdentity | undefined {
  const result = /<GetCallerIdentityResult>([\s\S]*?)<\/GetCallerIdentityResult>/.exec(text)?.[1];
  if (result === undefined) return undefined;
  const field = (name: string) => {
    const value = new RegExp(`<${name}>([^<]*)</${name}>`).exec(result)?.[1];
    return value === undefined ? undefined : unescapeXml(value);
  };
  return complete(field('Arn'), field('Account'), field('UserId'));
}

function complete(arn: unknown, account: unknown, userId: unknown): CallerIdentity | undefined {
  if (typeof arn !== 'string' || arn === '' || typeof account !== 'string' || typeof userId !== 'string') {
    return undefined;
  }
  return { arn, account, userId };
}

function unescapeXml(value: string): string {
  return value
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}
