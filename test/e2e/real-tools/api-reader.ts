/** A Kubernetes object as these tests read it: only what they compare. */
export interface ReadObject {
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    uid: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    deletionTimestamp?: string;
  };
  // The tests read a few fields of each kind's spec and data; unknown is narrowed where read.
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
  type?: string;
  [field: string]: unknown;
}

/** Reads objects over plain HTTP (JSON), to check what a tool did, independently of the tool. */
export class ApiReader {
  constructor(private readonly baseUrl: string) {}

  /** The object at `path`, or undefined when the server answers 404. */
  async find(path: string): Promise<ReadObject | undefined> {
    const response = await fetch(`${this.baseUrl}${path}`, { headers: { accept: 'application/json' } });
    if (response.status === 404) return undefined;
    if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as ReadObject;
  }

  /** The object at `path`; it must be there. */
  async get(path: string): Promise<ReadObject> {
    const object = await this.find(path);
    if (!object) throw new Error(`GET ${path}: 404, the object is not there`);
    return object;
  }

  /** The items of the list at `path` (query included). */
  async list(path: string): Promise<ReadObject[]> {
    const response = await fetch(`${this.baseUrl}${path}`, { headers: { accept: 'application/json' } });
    if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
    return ((await response.json()) as { items: ReadObject[] }).items;
  }
}
