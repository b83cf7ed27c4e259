import { GoValue } from '../../kinds/field-error';

/** Go's %#v of a []string, as kube prints a bad value that is one. */
export function goStrings(values: string[] | undefined): GoValue {
  if (!values) return new GoValue('[]string(nil)');
  return new GoValue(`[]string{${values.map((v) => JSON.stringify(v)).join(', ')}}`);
}

/** Go's %#v of a []byte: the decoded base64 bytes in hex. */
export function goBytes(base64: string): GoValue {
  const bytes = [...Buffer.from(base64, 'base64')].map((b) => `0x${b.toString(16)}`);
  return new GoValue(`[]byte{${bytes.join(', ')}}`);
}
