import { PROTOBUF } from './envelope';

/** The formats a response can be written in. */
export type ResponseFormat = 'json' | 'yaml' | 'protobuf';

interface MediaRange {
  type: string;
  params: Record<string, string>;
  q: number;
}

function parseAccept(accept: string): MediaRange[] {
  return accept
    .split(',')
    .map((part) => {
      const [type, ...rest] = part.split(';');
      const params: Record<string, string> = {};
      for (const param of rest) {
        const at = param.indexOf('=');
        if (at > 0) params[param.slice(0, at).trim().toLowerCase()] = param.slice(at + 1).trim();
      }
      const q = params.q === undefined ? 1 : Number(params.q);
      return { type: type.trim().toLowerCase(), params, q: Number.isFinite(q) ? q : 0 };
    })
    .filter((range) => range.type !== '' && range.q > 0)
    .sort((a, b) => b.q - a.q);
}

/**
 * The format an Accept header asks for, first acceptable range first (by q, then order), as
 * kube-apiserver negotiates: JSON, YAML or protobuf, where `protobuf` says whether the answer
 * can be protobuf at all (custom resources cannot). A range asking for a conversion (`as=Table`)
 * is JSON when it is the Table Skiff writes in JSON, else passed over. When nothing fits, JSON:
 * Skiff answers rather than refusing with 406.
 *
 * @example preferredFormat('application/vnd.kubernetes.protobuf, application/json', true) // 'protobuf'
 */
export function preferredFormat(accept: string | undefined, protobuf: boolean): ResponseFormat {
  for (const range of parseAccept(accept ?? '')) {
    if (range.params.as !== undefined) {
      if (range.params.as === 'Table' && range.type === 'application/json') return 'json';
      continue;
    }
    if (range.type === 'application/json' || range.type === '*/*' || range.type === 'application/*')
      return 'json';
    if (range.type === 'application/yaml') return 'yaml';
    if (range.type === PROTOBUF && protobuf) return 'protobuf';
  }
  return 'json';
}
