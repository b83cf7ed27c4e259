import * as z from 'zod';
import { invalidValue, requiredValue } from './field-error';
import { qualifiedNameError } from './names';
import { compareQuantities, parseQuantity, quantity } from './quantity';

/**
 * A resource list (`{ cpu: '500m', memory: '1Gi' }`): arbitrary resource names mapped to
 * quantities, stored in canonical form.
 */
export const ResourceList = z.record(z.string(), quantity);
export type ResourceList = z.infer<typeof ResourceList>;

const STANDARD_CONTAINER_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage']);

function isHugePages(name: string): boolean {
  return name.startsWith('hugepages-');
}

/** Native resources live in the default or a kubernetes.io domain; everything else is extended. */
function isNative(name: string): boolean {
  return !name.includes('/') || name.includes('kubernetes.io/');
}

/** Kubernetes lets requests stay below limits only for native, non-hugepages resources. */
function isOvercommitAllowed(name: string): boolean {
  return isNative(name) && !isHugePages(name);
}

function resourceNameError(name: string): string | undefined {
  const qualified = qualifiedNameError(name);
  if (qualified) return qualified;
  if (!name.includes('/')) {
    if (!STANDARD_CONTAINER_RESOURCES.has(name) && !isHugePages(name))
      return 'must be a standard resource for containers';
  } else if (!isNative(name) && name.startsWith('requests.')) {
    return "doesn't follow extended resource name standard";
  }
  return undefined;
}

function checkResourceList(list: ResourceList, field: 'limits' | 'requests', ctx: z.RefinementCtx): void {
  for (const [name, value] of Object.entries(list)) {
    const nameError = resourceNameError(name);
    if (nameError)
      ctx.addIssue({ code: 'custom', path: [field, name], message: invalidValue(name, nameError) });
    if (typeof value !== 'string') continue; // the quantity itself was invalid, already reported
    const parsed = parseQuantity(value);
    if (parsed.nanos < 0n)
      ctx.addIssue({
        code: 'custom',
        path: [field, name],
        message: invalidValue(value, 'must be greater than or equal to 0'),
      });
    if (!isNative(name) && parsed.nanos % 1_000_000_000n !== 0n)
      ctx.addIssue({
        code: 'custom',
        path: [field, name],
        message: invalidValue(value, 'must be an integer'),
      });
  }
}

/**
 * A container's requests and limits, validated as ValidateContainerResourceRequirements does:
 * standard or extended names, non-negative quantities, requests at most the limits (exactly the
 * limits for hugepages and extended resources, which cannot be overcommitted).
 *
 * Kubernetes' defaulting of requests from limits is Pod-only, so it lives in pod.ts.
 */
export const ResourceRequirements = z
  .object({
    limits: ResourceList.optional(),
    requests: ResourceList.optional(),
  })
  .superRefine((resources, ctx) => {
    const limits = resources.limits ?? {};
    const requests = resources.requests ?? {};
    checkResourceList(limits, 'limits', ctx);
    checkResourceList(requests, 'requests', ctx);
    for (const [name, request] of Object.entries(requests)) {
      const limit = limits[name];
      if (typeof request !== 'string') continue;
      if (limit === undefined) {
        if (!isOvercommitAllowed(name))
          ctx.addIssue({
            code: 'custom',
            path: ['limits'],
            message: requiredValue('Limit must be set for non overcommitable resources'),
          });
        continue;
      }
      if (typeof limit !== 'string') continue;
      const order = compareQuantities(request, limit);
      if (order !== 0 && !isOvercommitAllowed(name))
        ctx.addIssue({
          code: 'custom',
          path: ['requests'],
          message: invalidValue(request, `must be equal to ${name} limit of ${limit}`),
        });
      else if (order > 0)
        ctx.addIssue({
          code: 'custom',
          path: ['requests'],
          message: invalidValue(request, `must be less than or equal to ${name} limit of ${limit}`),
        });
    }
  });
export type ResourceRequirements = z.infer<typeof ResourceRequirements>;
