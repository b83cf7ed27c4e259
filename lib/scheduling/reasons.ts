/**
 * kube-scheduler's FitError message: `0/5 nodes are available: 3 Insufficient cpu, 2 node(s) had
 * untolerated taint {gpu: true}.` Each reason with the number of nodes that gave it, sorted as
 * strings, as kube sorts them.
 */
export function fitErrorMessage(nodeCount: number, reasons: Map<string, number>): string {
  const parts = [...reasons].map(([reason, count]) => `${count} ${reason}`).sort();
  return parts.length > 0
    ? `0/${nodeCount} nodes are available: ${parts.join(', ')}.`
    : `0/${nodeCount} nodes are available.`;
}
