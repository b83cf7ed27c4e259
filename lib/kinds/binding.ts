import * as z from 'zod';
import { emptyByDefault } from './empty-by-default';
import { requiredValue, unsupportedValue } from './field-error';
import type { KindInfo } from './kind-info';
import { ObjectMeta } from './meta';
import { ObjectReference } from './object-reference';

/**
 * v1 Binding: the body of `POST .../pods/{name}/binding`, which assigns a pod to a node. Checked as
 * ValidatePodBinding does: the target is a Node (or names no kind) and has a name. Not a served
 * kind of its own (kube's deprecated `bindings` collection is not served), so it is not in the
 * registry; BindingKind only lets the API decode it like any other object.
 */
export const Binding = z.object({
  apiVersion: z.literal('v1'),
  kind: z.literal('Binding'),
  metadata: emptyByDefault(ObjectMeta),
  target: ObjectReference.superRefine((target, ctx) => {
    if (target.kind !== undefined && target.kind !== '' && target.kind !== 'Node')
      ctx.addIssue({
        code: 'custom',
        path: ['kind'],
        message: unsupportedValue(target.kind, ['Node', '<empty>']),
      });
    if (!target.name) ctx.addIssue({ code: 'custom', path: ['name'], message: requiredValue() });
  }).prefault({}),
});
export type Binding = z.infer<typeof Binding>;

export const BindingKind: KindInfo = {
  group: '',
  version: 'v1',
  kind: 'Binding',
  plural: 'bindings',
  singular: 'binding',
  shortNames: [],
  namespaced: true,
  hasStatus: false,
  nameFormat: 'dns1123-subdomain',
  schema: Binding,
  fieldSelectors: {},
};
