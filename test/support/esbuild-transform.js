// Jest transform: TypeScript → CommonJS with esbuild (no type-checking; `npm run typecheck`
// runs tsc once for the whole project instead of per test file). ~50x faster than ts-jest.
// Also used for the ES-module-only packages that jest.config.js lets through
// `transformIgnorePatterns`: they are plain JavaScript, so they get the `js` loader.
const { transformSync } = require('esbuild');

module.exports = {
  process(source, filename) {
    const { code, map } = transformSync(source, {
      loader: /\.[cm]?js$/.test(filename) ? 'js' : 'ts',
      format: 'cjs',
      target: 'node20',
      sourcemap: 'both',
      sourcefile: filename,
    });
    return { code, map };
  },
};
