// Jest transformer: compiles TypeScript, and the ES-module-only packages jest.config.js lets
// through, to CommonJS with esbuild (already the Lambda bundler). No type checking here: `npm test`
// runs tsc first. Plain JavaScript because jest loads transformers before any transform exists.
const { transformSync } = require('esbuild');

module.exports = {
  process(source, filename) {
    const { code, map } = transformSync(source, {
      loader: filename.endsWith('.ts') ? 'ts' : 'js',
      format: 'cjs',
      target: 'node20',
      sourcemap: true,
      sourcefile: filename,
    });
    return { code, map };
  },
};
