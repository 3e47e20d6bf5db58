/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  // Jest's default (cores - 1) is one worker on a 2-core CI machine; the suites wait on kubectl
  // and age often enough that one worker per core is faster (measured: 50 s → 40 s).
  maxWorkers: '100%',
  // A floor for every test on a loaded machine (jest's 5 s default failed renders under load);
  // files that run kubectl, age or child processes set a longer timeout explicitly.
  testTimeout: 30_000,
  roots: ['<rootDir>/test'],
  // Derives the model's runtime schema from its types (scripts/model-check.mjs), as synth does.
  globalSetup: '<rootDir>/test/support/global-setup.mjs',
  testMatch: ['**/*.test.ts'],
  transform: {
    '\\.ts$': '<rootDir>/test/support/esbuild-transform.js',
    // ESM-only dependencies let through below are converted to CommonJS by the same transform.
    '\\.m?js$': '<rootDir>/test/support/esbuild-transform.js',
  },
  // Jest runs CommonJS; these packages ship only ES modules (production bundles them with esbuild).
  transformIgnorePatterns: ['/node_modules/(?!(age-encryption|sops-age|@noble|@scure)/)'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  // Snapshots are reviewed in pull requests: keep them next to the tests that own them.
  snapshotFormat: { printBasicPrototype: false },
};
