import { KubeClient } from '../client/kube-client';
import { readConfig, resolveConnection } from './cli-config';
import { Discovery } from './discovery';

/** The options every command accepts (set on the program, read through optsWithGlobals). */
export interface GlobalOptions {
  server?: string;
  context?: string;
  namespace?: string;
}

/** What a command works with: a client for the chosen server, its discovery, the namespace. */
export interface Session {
  client: KubeClient;
  discovery: Discovery;
  /** `-n`, else the context's namespace, else `default`. */
  namespace: string;
  /** Whether `-n` was given (kubectl's messages say which namespace only then). */
  namespaceGiven: boolean;
}

export const USER_AGENT = 'skiff-cli';

/** A session from the global options and the context file. */
export function openSession(options: GlobalOptions): Session {
  const connection = resolveConnection(options, readConfig());
  const client = new KubeClient({
    server: connection.server,
    token: connection.token,
    userAgent: USER_AGENT,
  });
  return {
    client,
    discovery: new Discovery(client),
    namespace: options.namespace ?? connection.namespace ?? 'default',
    namespaceGiven: options.namespace !== undefined,
  };
}
