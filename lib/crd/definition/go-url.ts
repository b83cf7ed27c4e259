/** The parts of Go's net/url.Parse that apiserver's webhook URL rules read. */
interface GoURL {
  scheme: string;
  host: string;
  user?: string;
  rawQuery: string;
  fragment: string;
}

/**
 * Go's url.Parse, as far as the webhook rules need it: the URL's parts, or the text of Go's
 * error for a missing scheme or a control character.
 */
export function parseGoURL(raw: string): GoURL | string {
  let rest = raw;
  let fragment = '';
  const hash = rest.indexOf('#');
  if (hash >= 0) {
    fragment = decodeSafely(rest.slice(hash + 1));
    rest = rest.slice(0, hash);
  }
  if ([...rest].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f))
    return `parse ${JSON.stringify(raw)}: net/url: invalid control character in URL`;
  const schemeMatch = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(rest);
  if (rest.startsWith(':')) return `parse ${JSON.stringify(raw)}: missing protocol scheme`;
  const scheme = schemeMatch ? schemeMatch[1].toLowerCase() : '';
  if (schemeMatch) rest = rest.slice(schemeMatch[0].length);
  let rawQuery = '';
  const question = rest.indexOf('?');
  if (question >= 0) {
    rawQuery = rest.slice(question + 1);
    rest = rest.slice(0, question);
  }
  let host = '';
  let user: string | undefined;
  if (rest.startsWith('//')) {
    const authority = rest.slice(2).split('/')[0];
    const at = authority.lastIndexOf('@');
    if (at >= 0) user = authority.slice(0, at);
    host = at >= 0 ? authority.slice(at + 1) : authority;
  }
  return { scheme, host, user, rawQuery, fragment };
}

function decodeSafely(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
