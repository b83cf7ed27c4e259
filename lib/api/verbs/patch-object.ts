import type { KubeObject } from '../../kinds/meta';
import { ConflictError } from '../../store/errors';
import { APPLY_PATCH_CONTENT_TYPE, applyPatch, patchContentType } from '../patch/apply-patch';
import { patchOptionsOf } from '../patch/server-side-apply/patch-options';
import { applyObject } from './apply-object';
import { recordWriteManager } from './record-managed-fields';
import { prepareUpdateBody, writeAdmitted } from '../admission/write-admission';
import { requireBody } from '../request-body';
import { patchMetaOf } from '../kind-json-schema';
import { runUpdateChecks } from './dry-run-checks';
import { decodeWrite, refuseConvertErrors } from './write-input';
import { yieldBetweenSteps } from './yield-between-steps';
import { isDryRun, jsonResponse, type VerbContext } from './verb-context';

const STRATEGIC_MERGE_PATCH = 'application/strategic-merge-patch+json';

/** Patches without a resourceVersion are re-applied to the latest object this many times on a race. */
const PATCH_ATTEMPTS = 5;

/**
 * PATCH on one object or its status, in any of kube's three patch types. The patch applies to the
 * stored object; the result is validated like a PUT and written conditionally on the version the
 * patch was applied to, so concurrent patches never lose each other's changes. The writer gets
 * its managedFields entry; server-side apply (`application/apply-patch+yaml`) is apply-object.ts.
 */
export async function patchObject(context: VerbContext) {
  const { route, request, store } = context;
  const contentType = patchContentType(request.headers['content-type']);
  if (contentType === APPLY_PATCH_CONTENT_TYPE) return applyObject(context);
  patchOptionsOf(request, false);
  const patchText = requireBody(request);
  for (let attempt = 1; ; attempt++) {
    const current = await store.get(route.kind, route.namespace, route.name ?? '');
    const patched = applyPatch(contentType, current, patchText, patchMetaOf(route.kind)) as KubeObject;
    if (contentType === STRATEGIC_MERGE_PATCH)
      refuseConvertErrors(route.kind, patched, JSON.parse(patchText) as unknown);
    await yieldBetweenSteps(request);
    const pinned = patched.metadata?.resourceVersion !== current.metadata.resourceVersion;
    const body = await prepareUpdateBody(context, patched as Record<string, unknown>);
    // kube's patcher decodes a merge or JSON patch's result into the Go type (422 on a type it
    // cannot hold); a strategic merge patch's result is converted from unstructured data (above).
    const from = contentType === STRATEGIC_MERGE_PATCH ? 'unchecked' : 'patch';
    const { object, warnings } = decodeWrite(route, request, body, true, from);
    recordWriteManager(route, request, current, object);
    await yieldBetweenSteps(request);
    if (!pinned) object.metadata.resourceVersion = current.metadata.resourceVersion;
    if (isDryRun(request)) {
      runUpdateChecks(route, object, current);
      return jsonResponse(200, object, warnings);
    }
    try {
      const stored =
        route.subresource === 'status'
          ? await store.updateStatus(route.kind, object, { readFrom: current })
          : await writeAdmitted(context, object, (admitted) =>
              store.update(route.kind, admitted, { readFrom: current }),
            );
      return jsonResponse(200, stored, warnings);
    } catch (error) {
      if (!(error instanceof ConflictError) || pinned || attempt >= PATCH_ATTEMPTS) throw error;
    }
  }
}
