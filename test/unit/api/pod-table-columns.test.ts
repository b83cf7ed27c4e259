import { columnsOf } from '../../../lib/api/table/kind-columns';
import type { KubeObject } from '../../../lib/kinds/meta';

/** The pod table's columns as kube-apiserver's printer has them, wide ones included. */
describe('pod table columns', () => {
  const columns = columnsOf('Pod');
  const cells = (pod: unknown) =>
    Object.fromEntries(columns.map((column) => [column.name, column.cell(pod as KubeObject)]));

  it('has kube-apiserver column names, the last four shown with -o wide', () => {
    expect(columns.map((c) => c.name)).toEqual([
      'Name',
      'Ready',
      'Status',
      'Restarts',
      'Age',
      'IP',
      'Node',
      'Nominated Node',
      'Readiness Gates',
    ]);
    expect(columns.filter((c) => c.priority === 1).map((c) => c.name)).toEqual([
      'IP',
      'Node',
      'Nominated Node',
      'Readiness Gates',
    ]);
  });

  it('says <none> for a pod without a nomination or readiness gates, and counts gates met', () => {
    const pod = {
      metadata: { name: 'p', creationTimestamp: '2026-01-01T00:00:00Z' },
      spec: { containers: [{ name: 'c' }] },
      status: {},
    };
    expect(cells(pod)).toMatchObject({ 'Nominated Node': '<none>', 'Readiness Gates': '<none>' });
    const gated = {
      ...pod,
      spec: { ...pod.spec, readinessGates: [{ conditionType: 'a' }, { conditionType: 'b' }] },
      status: {
        nominatedNodeName: 'node-1',
        conditions: [
          { type: 'a', status: 'True' },
          { type: 'b', status: 'False' },
        ],
      },
    };
    expect(cells(gated)).toMatchObject({ 'Nominated Node': 'node-1', 'Readiness Gates': '1/2' });
  });
});
