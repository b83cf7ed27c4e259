import type { KindInfo } from '../kinds/kind-info';
import type { KubeObject } from '../kinds/meta';
import { InvalidSelectorError } from './label-selector';

/**
 * Field selectors (`spec.nodeName=node-1,status.phase!=Succeeded`). Only the fields a kind declares
 * (plus metadata.name and metadata.namespace) are accepted, as kube-apiserver does.
 */
export interface FieldRequirement {
  field: string;
  operator: '=' | '!=';
  value: string;
}

export type FieldSelector = FieldRequirement[];

const TERM_RE = /^([A-Za-z0-9_.]+)\s*(==|=|!=)\s*(.*)$/;

/** Parses the query-string form and checks each field is supported for `kind`. */
export function parseFieldSelector(text: string, kind: KindInfo): FieldSelector {
  const selector: FieldSelector = [];
  for (const raw of text.split(',')) {
    const term = raw.trim();
    if (term === '') continue;
    const match = TERM_RE.exec(term);
    if (!match) throw new InvalidSelectorError(`invalid selector: '${text}'; can't understand '${term}'`);
    const [, field, operator, value] = match;
    if (!fieldReader(kind, field)) throw new InvalidSelectorError(`field label not supported: ${field}`);
    selector.push({ field, operator: operator === '!=' ? '!=' : '=', value });
  }
  return selector;
}

/** Reads the value a field selector compares against; '' for an unset field. */
export function fieldReader(kind: KindInfo, field: string): ((obj: KubeObject) => string) | undefined {
  if (field === 'metadata.name') return (obj) => obj.metadata.name ?? '';
  if (field === 'metadata.namespace') return (obj) => obj.metadata.namespace ?? '';
  return kind.fieldSelectors[field];
}

/** Whether `obj` satisfies every requirement. */
export function matchesFields(kind: KindInfo, selector: FieldSelector, obj: KubeObject): boolean {
  return selector.every(({ field, operator, value }) => {
    const actual = fieldReader(kind, field)?.(obj) ?? '';
    return operator === '=' ? actual === value : actual !== value;
  });
}

/** The value an equality requirement pins `field` to, if the selector has one. */
export function pinnedValue(selector: FieldSelector | undefined, field: string): string | undefined {
  return selector?.find((r) => r.field === field && r.operator === '=')?.value;
}
