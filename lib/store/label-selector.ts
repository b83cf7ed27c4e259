/**
 * Label selectors in both of Kubernetes' forms — the query-string syntax (`app=web,tier!=db,env in (a,b),!legacy`)
 * and the LabelSelector object (matchLabels / matchExpressions) — compiled to one matcher.
 */
export type LabelRequirement =
  | { key: string; operator: 'In' | 'NotIn'; values: string[] }
  | { key: string; operator: 'Exists' | 'DoesNotExist' };

export type LabelSelector = LabelRequirement[];

/** A selector string that does not parse; the API answers 400 BadRequest with this message. */
export class InvalidSelectorError extends Error {}

const KEY = String.raw`[A-Za-z0-9][-A-Za-z0-9_./]*`;
const VALUE = String.raw`[A-Za-z0-9_.-]*`;
const SET_RE = new RegExp(String.raw`^(${KEY})\s+(in|notin)\s+\(([^)]*)\)$`);
const EQ_RE = new RegExp(String.raw`^(${KEY})\s*(==|=|!=)\s*(${VALUE})$`);
const EXISTS_RE = new RegExp(String.raw`^(!?)\s*(${KEY})$`);

/**
 * Parses the query-string form. An empty string selects everything.
 * @example parseLabelSelector('app=web,env in (prod,staging),!canary')
 */
export function parseLabelSelector(text: string): LabelSelector {
  const requirements: LabelSelector = [];
  for (const part of splitOutsideParens(text)) {
    const term = part.trim();
    if (term === '') continue;
    const set = SET_RE.exec(term);
    if (set) {
      const values = set[3].split(',').map((v) => v.trim());
      if (values.some((v) => !new RegExp(`^${VALUE}$`).test(v)))
        throw new InvalidSelectorError(`unable to parse requirement: invalid value in "${term}"`);
      requirements.push({ key: set[1], operator: set[2] === 'in' ? 'In' : 'NotIn', values });
      continue;
    }
    const eq = EQ_RE.exec(term);
    if (eq) {
      requirements.push({ key: eq[1], operator: eq[2] === '!=' ? 'NotIn' : 'In', values: [eq[3]] });
      continue;
    }
    const exists = EXISTS_RE.exec(term);
    if (exists) {
      requirements.push({ key: exists[2], operator: exists[1] ? 'DoesNotExist' : 'Exists' });
      continue;
    }
    throw new InvalidSelectorError(`unable to parse requirement: "${term}"`);
  }
  return requirements;
}

function splitOutsideParens(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')') depth--;
    else if (text[i] === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/** The object form used in specs (Deployment.spec.selector, ...). */
export interface LabelSelectorObject {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** Converts a spec's LabelSelector object into requirements. An empty object selects everything. */
export function labelSelectorFromObject(selector: LabelSelectorObject): LabelSelector {
  const requirements: LabelSelector = Object.entries(selector.matchLabels ?? {}).map(([key, value]) => ({
    key,
    operator: 'In' as const,
    values: [value],
  }));
  for (const expression of selector.matchExpressions ?? []) {
    const { key, operator } = expression;
    if (operator === 'In' || operator === 'NotIn')
      requirements.push({ key, operator, values: expression.values ?? [] });
    else if (operator === 'Exists' || operator === 'DoesNotExist') requirements.push({ key, operator });
    else throw new InvalidSelectorError(`"${operator}" is not a valid label selector operator`);
  }
  return requirements;
}

/** Whether `labels` satisfy every requirement (Kubernetes semantics: NotIn matches a missing key). */
export function matchesLabels(selector: LabelSelector, labels: Record<string, string> | undefined): boolean {
  return selector.every((requirement) => {
    const value = labels?.[requirement.key];
    switch (requirement.operator) {
      case 'Exists':
        return value !== undefined;
      case 'DoesNotExist':
        return value === undefined;
      case 'In':
        return value !== undefined && requirement.values.includes(value);
      case 'NotIn':
        return value === undefined || !requirement.values.includes(value);
    }
  });
}
