import type { BuildOptions } from 'esbuild';

/**
 * How a Lambda entry becomes what ships, in one place: SkiffFunction hands these to NodejsFunction
 * and bench/bundles.ts hands the same values to esbuild, so the bench measures the deployed bundle.
 *
 * - CommonJS, not ESM: nothing needs top-level await (clients are built synchronously at module
 *   scope), and an ESM bundle of CommonJS dependencies needs a `createRequire` banner for their
 *   `require()` of Node built-ins; CJS has no such seam. Dependencies are still read from their ESM
 *   builds (`mainFields` module first), which is what lets esbuild tree-shake them.
 * - The AWS SDK is bundled: Node 22's runtime ships an SDK v3, but whichever version AWS last
 *   rolled out; bundling pins the version our tests ran against, and a tree-shaken, minified
 *   client loads faster than resolving the runtime's hundreds of files. The exception is the
 *   credential providers the default chain imports lazily (SSO, INI files, web identity, ...):
 *   Lambda always has credentials in the environment, so they are never loaded, and should one
 *   be, the runtime's own copy answers. Leaving them out saves about 100 KB of bundle.
 * - Source maps without sources content: readable stack traces (with NODE_OPTIONS
 *   --enable-source-maps) without shipping our source a second time.
 */
export const LAMBDA_BUNDLE = {
  target: 'node22',
  format: 'cjs',
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  mainFields: ['module', 'main'],
  externalModules: [
    '@aws-sdk/credential-provider-ini',
    '@aws-sdk/credential-provider-login',
    '@aws-sdk/credential-provider-process',
    '@aws-sdk/credential-provider-sso',
    '@aws-sdk/credential-provider-web-identity',
    '@aws-sdk/nested-clients',
    '@aws-sdk/token-providers',
  ],
} as const satisfies {
  target: string;
  format: 'cjs' | 'esm';
  minify: boolean;
  sourceMap: boolean;
  sourcesContent: boolean;
  mainFields: readonly string[];
  externalModules: readonly string[];
};

/** Node options every function runs with: map stack traces back to the TypeScript source. */
export const LAMBDA_NODE_OPTIONS = '--enable-source-maps';

/**
 * The esbuild build NodejsFunction runs for `entry` (its CLI flags, as esbuild's JS API options);
 * `alias` as SkiffFunction's (an Operator's module for functions/operator).
 */
export function toEsbuildOptions(
  entry: string,
  outfile: string,
  alias?: Record<string, string>,
): BuildOptions {
  return {
    entryPoints: [entry],
    ...(alias ? { alias } : {}),
    outfile,
    bundle: true,
    platform: 'node',
    target: LAMBDA_BUNDLE.target,
    format: LAMBDA_BUNDLE.format,
    minify: LAMBDA_BUNDLE.minify,
    sourcemap: LAMBDA_BUNDLE.sourceMap,
    sourcesContent: LAMBDA_BUNDLE.sourcesContent,
    mainFields: [...LAMBDA_BUNDLE.mainFields],
    external: [...LAMBDA_BUNDLE.externalModules],
    logLevel: 'warning',
  };
}
