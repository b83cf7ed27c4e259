import { alignColumns, StreamingAligner, tableLines, type Table } from '../../../lib/cli/table-printer';

/** A pods Table as the server sends it (lib/api/table), two rows in two namespaces. */
const podTable: Table = {
  columnDefinitions: [
    { name: 'Name', priority: 0 },
    { name: 'Ready', priority: 0 },
    { name: 'Status', priority: 0 },
    { name: 'Restarts', priority: 0 },
    { name: 'Age', priority: 0 },
    { name: 'IP', priority: 1 },
    { name: 'Node', priority: 1 },
  ],
  rows: [
    {
      cells: ['web-6d4cf56db6-abcde', '1/1', 'Running', 0, '5m', '127.0.0.2', 'local-1'],
      object: { metadata: { namespace: 'default' } },
    },
    {
      cells: ['db-0', '0/1', 'Pending', 12, '3h', null, undefined],
      object: { metadata: { namespace: 'shop' } },
    },
  ],
};

describe('skiff table printing', () => {
  it("prints kubectl's columns: upper-case headers, three spaces between, no wide columns", () => {
    expect(tableLines(podTable)).toEqual([
      'NAME                   READY   STATUS    RESTARTS   AGE',
      'web-6d4cf56db6-abcde   1/1     Running   0          5m',
      'db-0                   0/1     Pending   12         3h',
    ]);
  });

  it('adds priority 1 columns with -o wide, absent cells as <none>', () => {
    const lines = tableLines(podTable, { wide: true });
    expect(lines[0]).toBe('NAME                   READY   STATUS    RESTARTS   AGE   IP          NODE');
    expect(lines[2]).toBe('db-0                   0/1     Pending   12         3h    <none>      <none>');
  });

  it('puts a NAMESPACE column first with -A, and leaves the header out with --no-headers', () => {
    const lines = tableLines(podTable, { withNamespace: true, noHeaders: true });
    expect(lines).toEqual([
      'default   web-6d4cf56db6-abcde   1/1   Running   0     5m',
      'shop      db-0                   0/1   Pending   12    3h',
    ]);
  });

  it('pads a narrow column to six characters, as kubectl tabwriter does, and never pads the last', () => {
    expect(
      alignColumns([
        ['A', 'B', 'C'],
        ['1', '2', '3'],
      ]),
    ).toEqual(['A     B     C', '1     2     3']);
  });

  it('keeps watched rows aligned with those printed before them', () => {
    const aligner = new StreamingAligner();
    aligner.widen(['NAME', 'STATUS', 'AGE']);
    aligner.widen(['web-1', 'Running', '5m']);
    expect(aligner.line(['web-2', 'Pending', '0s'])).toBe('web-2   Pending   0s');
  });
});
