import type { FieldCause } from '../../kinds/errors';
import { inclusiveRange } from '../../kinds/field-error';
import type { CustomResourceConversion } from '../../kinds/custom-resource-definition';
import { forbid, invalid, notSupported, required } from './causes';
import { dns1035LabelErrors, dns1123SubdomainErrors } from '../../kinds/names';
import { caBundleError } from './ca-bundle';
import { parseGoURL } from './go-url';
import { goBytes, goStrings } from './go-values';

/**
 * validateCustomResourceConversion (validation.go at apiextensions-apiserver v0.32). kube checks
 * the internal form, where the webhook's fields sit beside the strategy, so the paths are
 * `spec.conversion.webhookClientConfig...` and `spec.conversion.conversionReviewVersions`.
 */
const ACCEPTED_REVIEW_VERSIONS = ['v1', 'v1beta1'];

export interface ConversionOptions {
  /** An established CRD whose old bundle was valid (or unset) must keep a valid one. */
  checkCABundle: boolean;
}

export function conversionCauses(
  conversion: CustomResourceConversion | undefined,
  options: ConversionOptions = { checkCABundle: false },
): FieldCause[] {
  if (!conversion) return [];
  const path = 'spec.conversion';
  const causes: FieldCause[] = [];
  const strategy = conversion.strategy;
  if (strategy === '') causes.push(required(`${path}.strategy`));
  else if (strategy !== 'None' && strategy !== 'Webhook')
    causes.push(notSupported(`${path}.strategy`, strategy, ['None', 'Webhook']));
  const config = conversion.webhook?.clientConfig;
  const reviewVersions = conversion.webhook?.conversionReviewVersions;
  if (strategy === 'Webhook') {
    const at = `${path}.webhookClientConfig`;
    if (!config) causes.push(required(at, 'required when strategy is set to Webhook'));
    else {
      if ((config.url === undefined) === (config.service === undefined))
        causes.push(required(at, 'exactly one of url or service is required'));
      else if (config.url !== undefined) causes.push(...webhookURLCauses(config.url, `${at}.url`));
      else if (config.service) causes.push(...webhookServiceCauses(config.service, `${at}.service`));
      if (config.caBundle && options.checkCABundle) {
        const error = caBundleError(config.caBundle);
        if (error) causes.push(invalid(`${at}.caBundle`, goBytes(config.caBundle), error));
      }
    }
    causes.push(...reviewVersionsCauses(reviewVersions ?? [], `${path}.conversionReviewVersions`));
  } else {
    if (config)
      causes.push(
        forbid(`${path}.webhookClientConfig`, 'should not be set when strategy is not set to Webhook'),
      );
    if ((reviewVersions ?? []).length > 0)
      causes.push(
        forbid(`${path}.conversionReviewVersions`, 'should not be set when strategy is not set to Webhook'),
      );
  }
  return causes;
}

/** validateConversionReviewVersions, with requireRecognizedVersion (always so for Skiff's CRDs). */
function reviewVersionsCauses(versions: string[], path: string): FieldCause[] {
  if (versions.length === 0) return [required(path)];
  const causes: FieldCause[] = [];
  const seen = new Set<string>();
  let accepted = false;
  versions.forEach((version, i) => {
    if (seen.has(version)) return causes.push(invalid(`${path}[${i}]`, version, 'duplicate version'));
    seen.add(version);
    for (const error of dns1035LabelErrors(version)) causes.push(invalid(`${path}[${i}]`, version, error));
    if (ACCEPTED_REVIEW_VERSIONS.includes(version)) accepted = true;
  });
  if (!accepted)
    causes.push(
      invalid(
        path,
        goStrings(versions),
        `must include at least one of ${ACCEPTED_REVIEW_VERSIONS.join(', ')}`,
      ),
    );
  return causes;
}

/** webhook.ValidateWebhookURL with forceHttps. */
function webhookURLCauses(url: string, path: string): FieldCause[] {
  const form = '; desired format: https://host[/path]';
  const parsed = parseGoURL(url);
  if (typeof parsed === 'string') return [required(path, `url must be a valid URL: ${parsed}${form}`)];
  const causes: FieldCause[] = [];
  if (parsed.scheme !== 'https')
    causes.push(invalid(path, parsed.scheme, `'https' is the only allowed URL scheme${form}`));
  if (parsed.host === '') causes.push(invalid(path, parsed.host, `host must be specified${form}`));
  if (parsed.user !== undefined)
    causes.push(invalid(path, parsed.user, 'user information is not permitted in the URL'));
  if (parsed.fragment !== '')
    causes.push(invalid(path, parsed.fragment, 'fragments are not permitted in the URL'));
  if (parsed.rawQuery !== '')
    causes.push(invalid(path, parsed.rawQuery, 'query parameters are not permitted in the URL'));
  return causes;
}

/** webhook.ValidateWebhookService. */
function webhookServiceCauses(
  service: { name: string; namespace: string; path?: string; port: number },
  path: string,
): FieldCause[] {
  const causes: FieldCause[] = [];
  if (service.name === '') causes.push(required(`${path}.name`, 'service name is required'));
  if (service.namespace === '') causes.push(required(`${path}.namespace`, 'service namespace is required'));
  if (service.port < 1 || service.port > 65535)
    causes.push(invalid(`${path}.port`, service.port, `port is not valid: ${inclusiveRange(1, 65535)}`));
  const urlPath = service.path;
  if (urlPath === undefined || urlPath === '/' || urlPath === '') return causes;
  const at = `${path}.path`;
  if (urlPath === '//') return [...causes, invalid(at, urlPath, 'segment[0] may not be empty')];
  if (!urlPath.startsWith('/')) causes.push(invalid(at, urlPath, "must start with a '/'"));
  let toCheck = urlPath.slice(1);
  if (toCheck.endsWith('/')) toCheck = toCheck.slice(0, -1);
  toCheck.split('/').forEach((step, i) => {
    if (step === '') return causes.push(invalid(at, urlPath, `segment[${i}] may not be empty`));
    for (const failure of dns1123SubdomainErrors(step))
      causes.push(invalid(at, urlPath, `segment[${i}]: ${failure}`));
  });
  return causes;
}
