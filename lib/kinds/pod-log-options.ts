/**
 * The options of a container log request, as the kubelet decodes `GET /containerLogs/...` (and the
 * API `GET .../pods/NAME/log`) from its query: v1 PodLogOptions, validated as kube's
 * ValidatePodLogOptions does.
 */
export interface PodLogQuery {
  container?: string;
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  /** The last N lines; 0 is allowed (none, then what follows). */
  tailLines?: number;
  /** Stop after this many bytes of the answer (it may end mid-line). */
  limitBytes?: number;
  /** Only lines written in the last N seconds. */
  sinceSeconds?: number;
  /** Only lines written at or after this RFC 3339 time. */
  sinceTime?: string;
}

/** A query that cannot be decoded (not a boolean, not an integer): 400 BadRequest. */
export class LogQueryDecodeError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
    this.name = 'LogQueryDecodeError';
  }
}

/** One field ValidatePodLogOptions refuses: kube answers 422 Invalid with these. */
export interface LogQueryProblem {
  field: string;
  reason: 'FieldValueInvalid' | 'FieldValueForbidden';
  /** kube's message without the field: `Invalid value: -1: must be greater than or equal to 0`. */
  message: string;
}

/** Decoded options, or the validation problems (empty when valid). */
export interface DecodedLogQuery {
  query: PodLogQuery;
  problems: LogQueryProblem[];
}

type Query = Record<string, string | undefined>;

/**
 * Decodes and validates a log query. Throws LogQueryDecodeError for a value of the wrong type;
 * answers the ValidatePodLogOptions problems: tailLines below 0, limitBytes or sinceSeconds below
 * 1, sinceSeconds together with sinceTime. The kubelet's legacy `tail` (`all` = no limit) is read
 * as tailLines.
 *
 * @example decodeLogQuery({ follow: 'true', tailLines: '10' }).query // { follow: true, tailLines: 10, ... }
 */
export function decodeLogQuery(raw: Query): DecodedLogQuery {
  const tail = raw.tailLines ?? (raw.tail === 'all' ? undefined : raw.tail);
  const query: PodLogQuery = {
    ...(raw.container ? { container: raw.container } : {}),
    follow: booleanParam(raw, 'follow'),
    previous: booleanParam(raw, 'previous'),
    timestamps: booleanParam(raw, 'timestamps'),
    ...optional('tailLines', integerParam(tail, 'tailLines')),
    ...optional('limitBytes', integerParam(raw.limitBytes, 'limitBytes')),
    ...optional('sinceSeconds', integerParam(raw.sinceSeconds, 'sinceSeconds')),
    ...optional('sinceTime', timeParam(raw.sinceTime)),
  };
  const problems: LogQueryProblem[] = [];
  const invalid = (field: string, value: number, rule: string) =>
    problems.push({ field, reason: 'FieldValueInvalid', message: `Invalid value: ${value}: ${rule}` });
  if (query.tailLines !== undefined && query.tailLines < 0)
    invalid('tailLines', query.tailLines, 'must be greater than or equal to 0');
  if (query.limitBytes !== undefined && query.limitBytes < 1)
    invalid('limitBytes', query.limitBytes, 'must be greater than 0');
  if (query.sinceSeconds !== undefined && query.sinceTime !== undefined)
    problems.push({
      field: '',
      reason: 'FieldValueForbidden',
      message: 'Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified',
    });
  else if (query.sinceSeconds !== undefined && query.sinceSeconds < 1)
    invalid('sinceSeconds', query.sinceSeconds, 'must be greater than 0');
  return { query, problems };
}

/**
 * The kubelet's query for a decoded request, in the order kube-apiserver's LogLocation writes it
 * (the container goes in the path, not the query).
 */
export function logQueryString(query: PodLogQuery): string {
  const params = new URLSearchParams();
  if (query.follow) params.set('follow', 'true');
  if (query.previous) params.set('previous', 'true');
  if (query.timestamps) params.set('timestamps', 'true');
  if (query.sinceSeconds !== undefined) params.set('sinceSeconds', String(query.sinceSeconds));
  if (query.sinceTime !== undefined) params.set('sinceTime', query.sinceTime);
  if (query.tailLines !== undefined) params.set('tailLines', String(query.tailLines));
  if (query.limitBytes !== undefined) params.set('limitBytes', String(query.limitBytes));
  return params.toString();
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

/** Go's strconv.ParseBool, which kube's query decoding uses. */
function booleanParam(raw: Query, field: string): boolean {
  const value = raw[field];
  if (value === undefined || value === '') return false;
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(value)) return false;
  throw new LogQueryDecodeError(`${field}: invalid boolean value "${value}"`, field);
}

function integerParam(value: string | undefined, field: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^[+-]?\d+$/.test(value) || !Number.isSafeInteger(Number(value)))
    throw new LogQueryDecodeError(`${field}: invalid integer value "${value}"`, field);
  return Number(value);
}

function timeParam(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (!Number.isFinite(Date.parse(value)) || !/^\d{4}-\d{2}-\d{2}T/.test(value))
    throw new LogQueryDecodeError(`sinceTime: invalid RFC 3339 time "${value}"`, 'sinceTime');
  return value;
}
