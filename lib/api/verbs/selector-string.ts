import type { LabelSelector } from '../../kinds/label-selector';

/**
 * A label selector as apimachinery's labels.Selector String() writes it (what Scale's
 * status.selector carries): requirements sorted by key, each `k=v`, `k in (a,b)`, `k notin (a,b)`,
 * `k` or `!k`, values sorted, joined with commas.
 * @example selectorString({ matchLabels: { app: 'web' } }) // 'app=web'
 */
export function selectorString(selector: LabelSelector | undefined): string {
  if (!selector) return '';
  const requirements: [string, string][] = Object.entries(selector.matchLabels ?? {}).map(([key, value]) => [
    key,
    `${key}=${value}`,
  ]);
  for (const { key, operator, values = [] } of selector.matchExpressions ?? []) {
    const set = `(${[...values].sort().join(',')})`;
    const text =
      operator === 'In'
        ? `${key} in ${set}`
        : operator === 'NotIn'
          ? `${key} notin ${set}`
          : operator === 'Exists'
            ? key
            : `!${key}`;
    requirements.push([key, text]);
  }
  return requirements
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, text]) => text)
    .join(',');
}
