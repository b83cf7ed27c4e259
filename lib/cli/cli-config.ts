import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import * as z from 'zod';
import { CliError } from './cli-error';

/** Where the context file is read from when SKIFF_CONFIG does not say. */
export const SKIFF_CONFIG = 'SKIFF_CONFIG';
export const DEFAULT_SERVER = 'http://127.0.0.1:8080';

const Context = z.object({
  /** The API's base URL: the local control plane, or an API Gateway stage URL. */
  server: z.url(),
  /**
   * A shell command printing a bearer token on stdout, run once per skiff invocation (tokens
   * expire, so none is stored). AWS deployments get theirs from issue 11's authentication.
   */
  tokenCommand: z.string().min(1).optional(),
  /** The namespace commands use when `-n` is not given. */
  namespace: z.string().min(1).optional(),
});
export type Context = z.infer<typeof Context>;

const ConfigFile = z.object({
  currentContext: z.string().optional(),
  contexts: z.record(z.string(), Context).default({}),
});
export type ConfigFile = z.infer<typeof ConfigFile>;

/** The context file's path: `$SKIFF_CONFIG`, else `~/.skiff/config.json`. */
export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  return env[SKIFF_CONFIG] || join(homedir(), '.skiff', 'config.json');
}

/** The context file, or an empty one when there is none yet. */
export function readConfig(path = configPath()): ConfigFile {
  if (!existsSync(path)) return { contexts: {} };
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new CliError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
  const result = ConfigFile.safeParse(parsed);
  if (!result.success) throw new CliError(`${path} is not a skiff config: ${z.prettifyError(result.error)}`);
  return result.data;
}

export function writeConfig(config: ConfigFile, path = configPath()): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
}

export interface Connection {
  server: string;
  namespace?: string;
  token?: () => Promise<string | undefined>;
}

/**
 * Which server a command talks to: `--server` wins, then the named or current context, then the
 * local control plane that `npm start` serves.
 */
export function resolveConnection(
  options: { server?: string; context?: string },
  config: ConfigFile,
): Connection {
  const name = options.context ?? config.currentContext;
  const context = name === undefined ? undefined : config.contexts[name];
  if (options.context !== undefined && !context)
    throw new CliError(`context "${options.context}" is not in ${configPath()}`);
  if (options.server) return { server: options.server, namespace: context?.namespace };
  if (!context) return { server: DEFAULT_SERVER };
  return {
    server: context.server,
    namespace: context.namespace,
    ...(context.tokenCommand ? { token: tokenFrom(context.tokenCommand) } : {}),
  };
}

/** The token command's output, asked for once and kept for this invocation. */
function tokenFrom(command: string): () => Promise<string | undefined> {
  let token: Promise<string | undefined> | undefined;
  return () => {
    token ??= promisify(execFile)('sh', ['-c', command], { timeout: 30_000 }).then(
      ({ stdout }) => stdout.trim() || undefined,
      (error: Error) => {
        throw new CliError(`the token command failed: ${error.message}`);
      },
    );
    return token;
  };
}
