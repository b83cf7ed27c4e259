import { X509Certificate } from 'node:crypto';

/**
 * Why a conversion webhook's caBundle (base64 of PEM, as JSON carries Go's []byte) would not load
 * as client-go's root certificates, in client-go's words (transport.TLSConfigFor,
 * createErrorParsingCAData), or undefined when one certificate in it loads. The text of a
 * certificate that does not parse is Node's, not Go's.
 */
export function caBundleError(base64: string): string | undefined {
  const pem = Buffer.from(base64, 'base64').toString('latin1');
  const blocks = [...pem.matchAll(/-----BEGIN ([^-]+)-----([\s\S]*?)-----END \1-----/g)];
  const certificates = blocks.filter(([, type]) => type === 'CERTIFICATE').map(([whole]) => whole);
  const parseError = (text: string): string | undefined => {
    try {
      new X509Certificate(text);
      return undefined;
    } catch (error) {
      return (error as Error).message;
    }
  };
  if (certificates.some((c) => parseError(c) === undefined)) return undefined;
  const prefix = 'unable to load root certificates: ';
  if (blocks.length === 0) return `${prefix}unable to parse bytes as PEM block`;
  for (const certificate of certificates) {
    const error = parseError(certificate);
    if (error) return `${prefix}failed to parse certificate: ${error}`;
  }
  return `${prefix}no valid certificate authority data seen`;
}
