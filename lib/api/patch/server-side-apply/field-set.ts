import { isJsonObject, setOwn, type JsonObject } from '../json-value';
import { isPathElement, type PathElement } from './field-path';

/**
 * A set of field paths, stored as the tree FieldsV1 serializes (structured-merge-diff's
 * fieldpath.Set): each node knows whether its own path is a member and holds its children by
 * serialized path element. A node's membership says "this field, item or entry itself"; a node
 * with children but no membership is only a way down to them (e.g. `spec` on the way to
 * `spec.replicas`). Sets are immutable: every operation returns a new set.
 */
export class FieldSet {
  private constructor(
    readonly member: boolean,
    private readonly children: ReadonlyMap<PathElement, FieldSet>,
  ) {}

  static readonly EMPTY = new FieldSet(false, new Map());

  /**
   * A set from its membership and children, built in one go (empty children are dropped): what
   * code building a large set uses, where adding children one by one would copy them each time.
   */
  static fromChildren(member: boolean, children: Map<PathElement, FieldSet>): FieldSet {
    for (const [element, child] of children) if (child.isEmpty()) children.delete(element);
    return children.size === 0 ? (member ? MEMBER : FieldSet.EMPTY) : new FieldSet(member, children);
  }

  /** A set of the given paths. */
  static of(...paths: PathElement[][]): FieldSet {
    return paths.reduce((set, path) => set.insert(path), FieldSet.EMPTY);
  }

  isEmpty(): boolean {
    return !this.member && this.children.size === 0;
  }

  child(element: PathElement): FieldSet {
    return this.children.get(element) ?? FieldSet.EMPTY;
  }

  childElements(): PathElement[] {
    return [...this.children.keys()];
  }

  /** Whether `path` itself is a member. */
  has(path: readonly PathElement[]): boolean {
    if (path.length === 0) return this.member;
    return this.child(path[0]).has(path.slice(1));
  }

  insert(path: readonly PathElement[]): FieldSet {
    if (path.length === 0) return this.member ? this : new FieldSet(true, this.children);
    const [head, ...rest] = path;
    return this.withChild(head, this.child(head).insert(rest));
  }

  /** This set with `element`'s subtree replaced (dropped when empty). */
  withChild(element: PathElement, child: FieldSet): FieldSet {
    const children = new Map(this.children);
    if (child.isEmpty()) children.delete(element);
    else children.set(element, child);
    return new FieldSet(this.member, children);
  }

  /** This set with its own membership set or cleared. */
  withMember(member: boolean): FieldSet {
    return member === this.member ? this : new FieldSet(member, this.children);
  }

  union(other: FieldSet): FieldSet {
    if (other.isEmpty()) return this;
    if (this.isEmpty()) return other;
    const children = new Map(this.children);
    for (const [element, child] of other.children) children.set(element, this.child(element).union(child));
    return new FieldSet(this.member || other.member, children);
  }

  /** The members of this set that are members of `other` too. */
  intersection(other: FieldSet): FieldSet {
    const children = new Map<PathElement, FieldSet>();
    for (const [element, child] of this.children) {
      const common = child.intersection(other.child(element));
      if (!common.isEmpty()) children.set(element, common);
    }
    return new FieldSet(this.member && other.member, children);
  }

  /** The members of this set that are not members of `other` (member by member). */
  difference(other: FieldSet): FieldSet {
    if (other.isEmpty()) return this;
    const children = new Map<PathElement, FieldSet>();
    for (const [element, child] of this.children) {
      const rest = child.difference(other.child(element));
      if (!rest.isEmpty()) children.set(element, rest);
    }
    return new FieldSet(this.member && !other.member, children);
  }

  /** This set without any path at or below a member of `other` (upstream's RecursiveDifference). */
  recursiveDifference(other: FieldSet): FieldSet {
    if (other.member) return FieldSet.EMPTY;
    if (other.isEmpty()) return this;
    const children = new Map<PathElement, FieldSet>();
    for (const [element, child] of this.children) {
      const rest = child.recursiveDifference(other.child(element));
      if (!rest.isEmpty()) children.set(element, rest);
    }
    return new FieldSet(this.member, children);
  }

  /** Every member path, depth first, children in serialized order. */
  paths(prefix: PathElement[] = []): PathElement[][] {
    const out: PathElement[][] = this.member ? [prefix] : [];
    for (const element of [...this.children.keys()].sort())
      out.push(...this.child(element).paths([...prefix, element]));
    return out;
  }

  equals(other: FieldSet): boolean {
    if (this.member !== other.member || this.children.size !== other.children.size) return false;
    for (const [element, child] of this.children) if (!child.equals(other.child(element))) return false;
    return true;
  }

  /**
   * The FieldsV1 JSON of this set: `{"f:spec":{"f:replicas":{}}}`, with `".": {}` marking a node
   * that is a member and has children. Keys come out sorted, as upstream writes them.
   */
  toFieldsV1(): JsonObject {
    const out: JsonObject = {};
    if (this.member && this.children.size > 0) out['.'] = {};
    for (const element of [...this.children.keys()].sort())
      setOwn(out, element, this.child(element).toFieldsV1());
    return out;
  }

  /** Reads FieldsV1 JSON; throws InvalidFieldsError for anything that is not one. */
  static fromFieldsV1(json: unknown): FieldSet {
    return readNode(json, true).withMember(false);
  }
}

const MEMBER = FieldSet.EMPTY.withMember(true);

/** managedFields holds a fieldsV1 this code cannot read. */
export class InvalidFieldsError extends Error {}

function readNode(json: unknown, root = false): FieldSet {
  if (!isJsonObject(json)) throw new InvalidFieldsError('fieldsV1 must be an object');
  const children = new Map<PathElement, FieldSet>();
  let member = !root && Object.keys(json).length === 0;
  for (const key of Object.keys(json)) {
    if (key === '.') {
      member = true;
      continue;
    }
    if (!isPathElement(key)) throw new InvalidFieldsError(`unknown path element ${JSON.stringify(key)}`);
    children.set(key, readNode(json[key]));
  }
  return FieldSet.fromChildren(member, children);
}
