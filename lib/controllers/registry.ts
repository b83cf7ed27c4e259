import type { Controller } from './controller';

/**
 * Every controller, in one place: the reconcile Lambda, the requeue consumer and the local control
 * plane all dispatch to this list, and the stream trigger's filter is derived from the kinds it
 * owns and watches.
 */
export const CONTROLLERS: readonly Controller[] = [];
