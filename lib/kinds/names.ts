import * as z from 'zod';

/**
 * Kubernetes' name and label formats (k8s.io/apimachinery/pkg/util/validation), with its messages,
 * so a bad manifest gets the same explanation it would from kube-apiserver.
 */
const LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const SUBDOMAIN_FMT = `${LABEL_FMT}(\\.${LABEL_FMT})*`;
const QUALIFIED_NAME_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const LABEL_VALUE_FMT = `(${QUALIFIED_NAME_FMT})?`;
const LABEL_RE = new RegExp(`^${LABEL_FMT}$`);
const SUBDOMAIN_RE = new RegExp(`^${SUBDOMAIN_FMT}$`);
const QUALIFIED_NAME_RE = new RegExp(`^${QUALIFIED_NAME_FMT}$`);
const QUALIFIED_NAME_MSG =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

/**
 * apimachinery's RegexError: the message, examples and the pattern, as kube-apiserver words a
 * value that does not match (`(e.g. 'my-name',  or '123-abc', regex used for validation is '…')`,
 * the double space included).
 */
function regexError(message: string, pattern: string, ...examples: string[]): string {
  const shown = examples.map((example, i) => `${i > 0 ? ' or ' : ''}'${example}', `).join('');
  return `${message} (${examples.length > 0 ? `e.g. ${shown}` : ''}regex used for validation is '${pattern}')`;
}

/** Go's len(), which kube's length checks use: the UTF-8 byte length. */
function byteLength(value: string): number {
  return Buffer.byteLength(value, 'utf8');
}

/** Returns why `value` is not a DNS-1123 label (max 63 chars), or undefined when it is one. */
export function dns1123LabelError(value: string): string | undefined {
  if (byteLength(value) > 63) return 'must be no more than 63 characters';
  if (LABEL_RE.test(value)) return undefined;
  // A valid subdomain that is not a label can only have dots in it.
  if (SUBDOMAIN_RE.test(value)) return 'must not contain dots';
  return regexError(
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
    LABEL_FMT,
    'my-name',
    '123-abc',
  );
}

const DNS1035_FMT = '[a-z]([-a-z0-9]*[a-z0-9])?';
const DNS1035_RE = new RegExp(`^${DNS1035_FMT}$`);

/**
 * Every reason `value` is not a DNS-1035 label (a DNS-1123 label starting with a letter: Service
 * names), in apimachinery's order: CRD validation joins them into one cause.
 */
export function dns1035LabelErrors(value: string): string[] {
  const errors: string[] = [];
  if (byteLength(value) > 63) errors.push('must be no more than 63 characters');
  if (!DNS1035_RE.test(value))
    errors.push(
      regexError(
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
        DNS1035_FMT,
        'my-name',
        'abc-123',
      ),
    );
  return errors;
}

/** Why `value` is not a DNS-1035 label, its first reason, or undefined. */
export function dns1035LabelError(value: string): string | undefined {
  return dns1035LabelErrors(value)[0];
}

/** Every reason `value` is not a DNS-1123 subdomain (max 253 chars), in apimachinery's order. */
export function dns1123SubdomainErrors(value: string): string[] {
  const errors: string[] = [];
  if (byteLength(value) > 253) errors.push('must be no more than 253 characters');
  if (!SUBDOMAIN_RE.test(value))
    errors.push(
      regexError(
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
        SUBDOMAIN_FMT,
        'example.com',
      ),
    );
  return errors;
}

/** Why `value` is not a DNS-1123 subdomain, its first reason, or undefined. */
export function dns1123SubdomainError(value: string): string | undefined {
  return dns1123SubdomainErrors(value)[0];
}

/** Returns why `key` is not a qualified name (`prefix/name` or `name`), or undefined. */
export function qualifiedNameError(key: string): string | undefined {
  const parts = key.split('/');
  if (parts.length > 2)
    return `a qualified name ${regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc')} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`;
  const name = parts[parts.length - 1];
  if (parts.length === 2) {
    if (parts[0].length === 0) return 'prefix part must be non-empty';
    const prefixError = dns1123SubdomainError(parts[0]);
    if (prefixError) return `prefix part ${prefixError}`;
  }
  if (name.length === 0) return 'name part must be non-empty';
  if (name.length > 63) return 'name part must be no more than 63 characters';
  if (!QUALIFIED_NAME_RE.test(name))
    return `name part ${regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc')}`;
  return undefined;
}

/** Returns why `value` is not a valid label value (empty, or max 63 chars of [A-Za-z0-9_.-]), or undefined. */
export function labelValueError(value: string): string | undefined {
  if (value.length > 63) return 'must be no more than 63 characters';
  if (value.length > 0 && !QUALIFIED_NAME_RE.test(value))
    return regexError(
      "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
      LABEL_VALUE_FMT,
      'MyValue',
      'my_value',
      '12345',
    );
  return undefined;
}

function refineWith(check: (value: string) => string | undefined) {
  return (value: string, ctx: z.RefinementCtx) => {
    const message = check(value);
    if (message) ctx.addIssue({ code: 'custom', message: `Invalid value: "${value}": ${message}` });
  };
}

export const dns1123Label = z.string().superRefine(refineWith(dns1123LabelError));

/**
 * A finalizer name: a qualified name, as apimachinery validates metadata.finalizers, so kube's own
 * `foregroundDeletion` and `orphan` are valid alongside `example.com/cleanup`.
 */
export const finalizerName = z.string().superRefine(refineWith(qualifiedNameError));
export const dns1123Subdomain = z.string().superRefine(refineWith(dns1123SubdomainError));

/**
 * metadata.labels (and nodeSelector, matchLabels): qualified-name keys, label values. Errors are
 * reported on the map itself (`metadata.labels`), as Kubernetes reports them, not on the key.
 */
export const labelMap = z.record(z.string(), z.string()).superRefine((labels, ctx) => {
  for (const [key, value] of Object.entries(labels)) {
    const keyError = qualifiedNameError(key);
    if (keyError) ctx.addIssue({ code: 'custom', message: `Invalid value: "${key}": ${keyError}` });
    const valueError = labelValueError(value);
    if (valueError) ctx.addIssue({ code: 'custom', message: `Invalid value: "${value}": ${valueError}` });
  }
});

/** Kubernetes caps the total size of an object's annotations at 256 KiB. */
export const ANNOTATIONS_MAX_BYTES = 256 * 1024;

/** metadata.annotations: qualified-name keys, any string values, at most 256 KiB in total. */
export const annotationMap = z.record(z.string(), z.string()).superRefine((annotations, ctx) => {
  let total = 0;
  for (const [key, value] of Object.entries(annotations)) {
    total += Buffer.byteLength(key) + Buffer.byteLength(value);
    const keyError = qualifiedNameError(key);
    if (keyError) ctx.addIssue({ code: 'custom', message: `Invalid value: "${key}": ${keyError}` });
  }
  if (total > ANNOTATIONS_MAX_BYTES)
    ctx.addIssue({ code: 'custom', message: `Too long: must have at most ${ANNOTATIONS_MAX_BYTES} bytes` });
});

const CONFIG_MAP_KEY_RE = /^[-._a-zA-Z0-9]+$/;

/** Returns why `key` is not a ConfigMap/Secret data key (IsConfigMapKey), or undefined. */
export function configMapKeyError(key: string): string | undefined {
  if (key.length > 253) return 'must be no more than 253 characters';
  if (!CONFIG_MAP_KEY_RE.test(key))
    return regexError(
      "a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
      '[-._a-zA-Z0-9]+',
      'key.name',
      'KEY_NAME',
      'key-name',
    );
  if (key === '.') return "must not be '.'";
  if (key === '..') return "must not be '..'";
  if (key.startsWith('..')) return "must not start with '..'";
  return undefined;
}

const ENV_VAR_NAME_RE = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/** Returns why `name` is not an environment variable name (IsEnvVarName), or undefined. */
export function envVarNameError(name: string): string | undefined {
  if (!ENV_VAR_NAME_RE.test(name))
    return regexError(
      "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit",
      '[-._a-zA-Z][-._a-zA-Z0-9]*',
      'my.env-name',
      'MY_ENV.NAME',
      'MyEnvName1',
    );
  return undefined;
}

/** Returns why `name` is not an IANA service name usable as a port name (IsValidPortName), or undefined. */
export function portNameError(name: string): string | undefined {
  if (name.length < 1 || name.length > 15) return 'must be no more than 15 characters';
  if (!/^[-a-z0-9]+$/.test(name))
    return 'must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)';
  if (!/[a-z]/.test(name)) return 'must contain at least one letter (a-z)';
  if (name.includes('--')) return 'must not contain consecutive hyphens';
  if (name.startsWith('-') || name.endsWith('-')) return 'must not begin or end with a hyphen';
  return undefined;
}

/** A required DNS-1123 label (container, volume, port names): empty is `Required value`, as in kube. */
export const requiredDns1123Label = z.string().superRefine((value, ctx) => {
  if (value === '') ctx.addIssue({ code: 'custom', message: 'Required value' });
  else refineWith(dns1123LabelError)(value, ctx);
});
