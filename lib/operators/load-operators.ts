import { readFileSync, statSync, readdirSync, watch, type FSWatcher } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseAllDocuments } from 'yaml';
import * as z from 'zod';
import { OperatorSpec } from './operator-spec';

/** Files an operator path may hold: modules exporting operators, and Metacontroller-style YAML. */
const MODULE_EXTENSIONS = new Set(['.ts', '.mts', '.js', '.mjs', '.cjs']);
const DOCUMENT_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

/** The document kind a YAML operator is written as: Metacontroller's own. */
const COMPOSITE_CONTROLLER = 'CompositeController';

/** An operator path that could not be loaded, naming the file and what is wrong with it. */
export class OperatorLoadError extends Error {}

/**
 * The operators at `path`: a module, a YAML or JSON file, or a folder of them (its YAML and JSON
 * files, its modules named `operator.*` or `*.operator.*`, and `operator.*` inside each subfolder). A module's default export (or `operator`/`operators`
 * export) is one operator or a list, hooks as functions. A YAML or JSON file's documents of kind
 * CompositeController (any apiVersion, so Metacontroller's own manifests load) are operators
 * whose hooks are webhooks; its other documents (the parent's CRD, say) are left alone.
 *
 * Each load imports the modules afresh (`?v=` with the file's mtime), so a reload sees edits.
 */
export async function loadOperators(path: string): Promise<OperatorSpec[]> {
  const operators: OperatorSpec[] = [];
  for (const file of operatorFiles(resolve(path))) operators.push(...(await loadFile(file)));
  const names = new Set<string>();
  for (const { name } of operators) {
    if (names.has(name)) throw new OperatorLoadError(`two operators at ${path} are named ${name}`);
    names.add(name);
  }
  return operators;
}

function operatorFiles(path: string): string[] {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) throw new OperatorLoadError(`no operator file or folder at ${path}`);
  if (stat.isFile()) return [path];
  const files: string[] = [];
  for (const entry of readdirSync(path, { withFileTypes: true }).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    if (
      entry.name.startsWith('.') ||
      entry.name.startsWith('_') ||
      /\.(test|d)\.[mc]?[jt]s$/.test(entry.name)
    )
      continue;
    const full = join(path, entry.name);
    if (entry.isFile() && isOperatorFile(entry.name) && isOperatorName(entry.name)) files.push(full);
    if (entry.isDirectory())
      for (const inner of readdirSync(full).sort())
        if (/^operator\.[^.]+$/.test(inner) && isOperatorFile(inner)) files.push(join(full, inner));
  }
  return files;
}

/**
 * Which files of a folder hold operators: YAML and JSON files (their CompositeControllers), and
 * modules named `operator.*` or `*.operator.*`; other modules are the operators' helpers (or their
 * CDK wiring) and are not loaded.
 */
function isOperatorName(name: string): boolean {
  return DOCUMENT_EXTENSIONS.has(extname(name)) || /(^|\.)operator\.[^.]+$/.test(name);
}

function isOperatorFile(name: string): boolean {
  const extension = extname(name);
  return MODULE_EXTENSIONS.has(extension) || DOCUMENT_EXTENSIONS.has(extension);
}

async function loadFile(file: string): Promise<OperatorSpec[]> {
  const candidates = DOCUMENT_EXTENSIONS.has(extname(file)) ? documentsOf(file) : await exportsOf(file);
  return candidates.map((candidate, index) => {
    const parsed = OperatorSpec.safeParse(candidate);
    if (!parsed.success)
      throw new OperatorLoadError(
        `${file}: operator ${candidates.length > 1 ? `${index + 1} ` : ''}is invalid: ${z.prettifyError(parsed.error)}`,
      );
    return parsed.data;
  });
}

/** A YAML or JSON file's CompositeControllers, as operator definitions. */
function documentsOf(file: string): unknown[] {
  const operators: unknown[] = [];
  for (const document of parseAllDocuments(readFileSync(file, 'utf8'))) {
    if (document.errors.length > 0)
      throw new OperatorLoadError(`${file}: not valid YAML: ${document.errors[0]?.message ?? ''}`);
    const value = document.toJS() as { kind?: unknown; metadata?: { name?: unknown }; spec?: object } | null;
    if (value?.kind !== COMPOSITE_CONTROLLER) continue;
    operators.push({ name: value.metadata?.name, ...value.spec });
  }
  return operators;
}

async function exportsOf(file: string): Promise<unknown[]> {
  const url = `${pathToFileURL(file).href}?v=${statSync(file).mtimeMs}`;
  let module: Record<string, unknown>;
  try {
    module = (await import(url)) as Record<string, unknown>;
  } catch (error) {
    throw new OperatorLoadError(
      `${file}: could not be loaded: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  // A CommonJS module's exports arrive as `default` of the namespace.
  const namespace = isPlainModule(module.default) ? { ...module, ...module.default } : module;
  const exported = namespace.default ?? namespace.operators ?? namespace.operator;
  if (exported === undefined)
    throw new OperatorLoadError(`${file}: exports no operator (export default, operator or operators)`);
  return Array.isArray(exported) ? exported : [exported];
}

function isPlainModule(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !('parentResource' in value) &&
    !Array.isArray(value) &&
    ('default' in value || 'operator' in value || 'operators' in value)
  );
}

/**
 * Watches `path` and calls `onChange` (debounced) when anything under it changes, so edited
 * operators are loaded again. Answers a function that stops watching.
 */
export function watchOperators(path: string, onChange: () => void, debounceMs = 200): () => void {
  let timer: NodeJS.Timeout | undefined;
  const fire = () => {
    clearTimeout(timer);
    timer = setTimeout(onChange, debounceMs);
  };
  const watcher: FSWatcher = watch(resolve(path), { recursive: statSync(path).isDirectory() }, fire);
  watcher.on('error', () => undefined);
  return () => {
    clearTimeout(timer);
    watcher.close();
  };
}
