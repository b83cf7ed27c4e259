/** A meta.k8s.io/v1 Table as the server sends it for `Accept: ...;as=Table`. */
export interface Table {
  columnDefinitions: { name: string; priority: number }[];
  rows: { cells: unknown[]; object?: { metadata?: { name?: string; namespace?: string } } }[];
}

export interface TableOptions {
  /** `-o wide`: priority 1 columns too. */
  wide?: boolean;
  /** `-A`: a NAMESPACE column first, from each row's object metadata. */
  withNamespace?: boolean;
  noHeaders?: boolean;
}

/** The Accept header asking for server-side printing (kubectl's, trimmed to v1). */
export const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io, application/json';

/**
 * The lines `kubectl get` prints for a Table: upper-case headers, columns padded to their widest
 * cell with three spaces between (kubectl's tabwriter settings), no padding after the last.
 *
 * @example tableLines(table) // ['NAME   READY   STATUS    RESTARTS   AGE', 'web    1/1     Running   0          5m']
 */
export function tableLines(table: Table, options: TableOptions = {}): string[] {
  return alignColumns(tableCells(table, options));
}

/** Rows of cells aligned as kubectl's tabwriter does (padding 3, minimum width 6, left-aligned). */
export function alignColumns(rows: string[][]): string[] {
  const aligner = new StreamingAligner();
  rows.forEach((row) => aligner.widen(row));
  return rows.map((row) => aligner.line(row));
}

/** A cell as kubectl prints it: `<none>` for absent values, JSON for anything structured. */
function cellText(cell: unknown): string {
  if (cell === undefined || cell === null) return '<none>';
  if (typeof cell === 'object') return JSON.stringify(cell);
  return String(cell);
}

/**
 * Aligns rows that arrive over time (`get -w`): each column keeps the widest cell seen so far, so
 * later rows line up with the header as long as they are no wider.
 */
export class StreamingAligner {
  private widths: number[] = [];

  /** Makes room for `cells` without printing them. */
  widen(cells: string[]): void {
    cells.forEach((cell, i) => (this.widths[i] = Math.max(this.widths[i] ?? 0, cell.length)));
  }

  /** The aligned line of `cells`. */
  line(cells: string[]): string {
    this.widen(cells);
    return cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(Math.max(this.widths[i] + 3, 6))))
      .join('')
      .trimEnd();
  }
}

/** The cells of a Table's rows as printed (headers first unless left out), before alignment. */
export function tableCells(table: Table, options: TableOptions = {}): string[][] {
  const shown = table.columnDefinitions
    .map((column, index) => ({ column, index }))
    .filter(({ column }) => options.wide || column.priority === 0);
  const header = shown.map(({ column }) => column.name.toUpperCase());
  const rows = table.rows.map((row) => shown.map(({ index }) => cellText(row.cells[index])));
  if (options.withNamespace) {
    header.unshift('NAMESPACE');
    table.rows.forEach((row, i) => rows[i].unshift(row.object?.metadata?.namespace ?? ''));
  }
  return options.noHeaders ? rows : [header, ...rows];
}
