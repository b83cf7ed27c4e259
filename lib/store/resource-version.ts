/**
 * resourceVersion values: opaque decimal strings to clients, numbers in the table so writes can be
 * conditional on them. Each new version is above both the clock (microseconds) and the version it
 * replaces, so versions only grow per object, and a deleted-then-recreated object never reuses the
 * version a stale client still holds.
 */
let lastIssued = 0;

/** The next resourceVersion after `previous` (the object's current one, if any). */
export function nextResourceVersion(previous?: number): number {
  const next = Math.max(Date.now() * 1000, lastIssued + 1, (previous ?? 0) + 1);
  lastIssued = next;
  return next;
}

/** A resourceVersion for list responses: the current point of the clock. */
export function currentResourceVersion(): string {
  return String(Math.max(Date.now() * 1000, lastIssued));
}
