import type { FieldCause } from '../../kinds/errors';
import type { CustomResourceDefinitionNames } from '../../kinds/custom-resource-definition';
import { invalid, required } from './causes';
import { dns1035LabelErrors, dns1123SubdomainErrors } from '../../kinds/names';

/**
 * The naming rules of kube's CRD validation (validation.go at apiextensions-apiserver v0.32).
 */

/** metadata.name must be `<plural>.<group>`: kube's nameValidationFn adds this beside the DNS rules. */
export function crdNameCauses(
  metadata: { name?: string; generateName?: string },
  names: { plural: string },
  group: string,
): FieldCause[] {
  const requiredName = `${names.plural}.${group}`;
  const detail = 'must be spec.names.plural+"."+spec.group';
  const causes: FieldCause[] = [];
  if (metadata.generateName && metadata.generateName !== requiredName)
    causes.push(invalid('metadata.generateName', metadata.generateName, detail));
  if (metadata.name && metadata.name !== requiredName)
    causes.push(invalid('metadata.name', metadata.name, detail));
  return causes;
}

/** spec.group: required, a DNS subdomain, with at least one dot. */
export function groupCauses(group: string): FieldCause[] {
  if (group === '') return [required('spec.group')];
  const errors = dns1123SubdomainErrors(group);
  if (errors.length > 0) return [invalid('spec.group', group, errors.join(','))];
  if (group.split('.').length < 2)
    return [invalid('spec.group', group, 'should be a domain with at least one dot')];
  return [];
}

/** The names spec requires (status.acceptedNames may leave them empty). */
export function requiredNamesCauses(names: Partial<CustomResourceDefinitionNames>): FieldCause[] {
  const causes: FieldCause[] = [];
  for (const key of ['plural', 'singular', 'kind', 'listKind'] as const)
    if (!names[key]) causes.push(required(`spec.names.${key}`));
  return causes;
}

/** ValidateCustomResourceDefinitionNames, for spec.names and status.acceptedNames. */
export function namesCauses(names: Partial<CustomResourceDefinitionNames>, path: string): FieldCause[] {
  const causes: FieldCause[] = [];
  const label = (key: 'plural' | 'singular') => {
    const value = names[key] ?? '';
    const errors = dns1035LabelErrors(value);
    if (value !== '' && errors.length > 0) causes.push(invalid(`${path}.${key}`, value, errors.join(',')));
  };
  const kindLike = (key: 'kind' | 'listKind') => {
    const value = names[key] ?? '';
    const errors = dns1035LabelErrors(value.toLowerCase());
    if (value !== '' && errors.length > 0)
      causes.push(
        invalid(
          `${path}.${key}`,
          value,
          `may have mixed case, but should otherwise match: ${errors.join(',')}`,
        ),
      );
  };
  label('plural');
  label('singular');
  kindLike('kind');
  kindLike('listKind');
  (names.shortNames ?? []).forEach((shortName, i) => {
    const errors = dns1035LabelErrors(shortName);
    if (errors.length > 0) causes.push(invalid(`${path}.shortNames[${i}]`, shortName, errors.join(',')));
  });
  if (names.kind && names.kind === names.listKind)
    causes.push(invalid(`${path}.listKind`, names.listKind, 'kind and listKind may not be the same'));
  (names.categories ?? []).forEach((category, i) => {
    const errors = dns1035LabelErrors(category);
    if (errors.length > 0) causes.push(invalid(`${path}.categories[${i}]`, category, errors.join(',')));
  });
  return causes;
}

export const API_APPROVAL_ANNOTATION = 'api-approved.kubernetes.io';

type ApprovalState = 'Invalid' | 'Approved' | 'Bypassed' | 'Missing';

/** apihelpers.GetAPIApprovalState. */
function approvalState(annotations: Record<string, string> | undefined): ApprovalState {
  const value = annotations?.[API_APPROVAL_ANNOTATION] ?? '';
  if (value === '') return 'Missing';
  if (value.startsWith('unapproved')) return 'Bypassed';
  // url.ParseRequestURI with a scheme and a host.
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#\s]+/.test(value) && !/\s/.test(value)) return 'Approved';
  return 'Invalid';
}

/**
 * validateAPIApproval: groups of the Kubernetes project (k8s.io, kubernetes.io and their
 * subdomains) need the `api-approved.kubernetes.io` annotation, a URL of the approval or a reason
 * starting with `unapproved`. An update that leaves the state as it was is never refused.
 */
export function apiApprovalCauses(
  group: string,
  annotations: Record<string, string> | undefined,
  oldAnnotations?: Record<string, string>,
): FieldCause[] {
  const isProtected = /(^|\.)(k8s\.io|kubernetes\.io)$/.test(group);
  if (!isProtected) return [];
  const state = approvalState(annotations);
  if (oldAnnotations !== undefined && approvalState(oldAnnotations) === state) return [];
  const field = `metadata.annotations[${API_APPROVAL_ANNOTATION}]`;
  if (state === 'Missing')
    return [
      required(
        field,
        `protected groups must have approval annotation "${API_APPROVAL_ANNOTATION}", see https://github.com/kubernetes/enhancements/pull/1111`,
      ),
    ];
  if (state === 'Invalid')
    return [
      invalid(
        field,
        annotations?.[API_APPROVAL_ANNOTATION] ?? '',
        `protected groups must have approval annotation "${API_APPROVAL_ANNOTATION}" with either a URL or a reason starting with "unapproved", see https://github.com/kubernetes/enhancements/pull/1111`,
      ),
    ];
  return [];
}
