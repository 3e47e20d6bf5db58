// THE LEAK TEST: a unique marker is planted in every secret value of a copy of the sample
// fleet's sources, the whole synth runs, and no marker (raw or base64) may appear anywhere in
// the output tree, in what the process printed, or in the committed snapshots — while the
// markers do reach the clusters sealed or encrypted (the positive control).
import { randomBytes } from 'crypto';
import { readFileSync } from 'fs';
import { join } from 'path';
import { decryptSops as sopsAgeDecrypt } from 'sops-age';
import { setSecretValue } from '../../src/commands/lib/secret-files';
import { synth } from '../../src/commands/synth';
import { fleet } from '../../src/environments';
import { FleetError, formatProblem } from '../../src/model/problem';
import { withNamespace } from '../../src/render/secrets';
import { parseYamlDocuments } from '../../src/render/yaml';
import type { KubeObject } from '../../src/model/kube-object';
import { findKnownValues, type KnownSecret } from '../../src/secrets/leak-scan';
import { unsealSecret } from '../../src/secrets/sealed-secrets';
import { fixture, REPO, sampleIdentities } from './fixtures';
import { ENVIRONMENTS, filesUnder, keysOf, sampleRoot, sourcesOf, sourceValues, testKeysFile } from './sample-root';

// Runs age / SOPS / sealing crypto: on a busy 2-core machine one test can take far longer than jest's 5 s default.
jest.setTimeout(120_000);

/** Runs `fn` with the given age environment and every write to stdout, stderr and console captured. */
async function captured<T>(env: Record<string, string | undefined>, fn: () => Promise<T>): Promise<{ value?: T; thrown?: unknown; output: string }> {
  const chunks: string[] = [];
  const record = (chunk: unknown) => {
    chunks.push(String(chunk));
    return true;
  };
  const spies = [
    jest.spyOn(process.stdout, 'write').mockImplementation(record),
    jest.spyOn(process.stderr, 'write').mockImplementation(record),
    ...(['log', 'info', 'warn', 'error', 'debug'] as const).map((method) => jest.spyOn(console, method).mockImplementation((...args) => void record(args.join(' ')))),
  ];
  const saved = { SOPS_AGE_KEY: process.env.SOPS_AGE_KEY, SOPS_AGE_KEY_FILE: process.env.SOPS_AGE_KEY_FILE, XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME, HOME: process.env.HOME };
  for (const [name, value] of Object.entries({ SOPS_AGE_KEY: undefined, SOPS_AGE_KEY_FILE: undefined, XDG_CONFIG_HOME: undefined, ...env })) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  try {
    return { value: await fn(), output: chunks.join('') };
  } catch (thrown) {
    // What runCommand would print: the problems, formatted.
    if (thrown instanceof FleetError) chunks.push(thrown.problems.map(formatProblem).join('\n'));
    return { thrown, output: chunks.join('') };
  } finally {
    for (const spy of spies) spy.mockRestore();
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

async function plant(root: string, environment: string, secret: string, key: string): Promise<KnownSecret> {
  const marker = `LEAK-${randomBytes(9).toString('hex')}-${environment}-${secret}-${key}`;
  // Registry credentials must stay {"auths": …} JSON (secrets set refuses anything else): the marker goes inside.
  const value = key === '.dockerconfigjson' ? JSON.stringify({ auths: { 'registry.test': { auth: marker } } }) : marker;
  const set = await setSecretValue({ root, identities: sampleIdentities(environment) }, environment, secret, key, Buffer.from(value));
  if (!set.ok || !set.value.changed) throw new Error(`could not plant a marker in ${environment}/${secret}/${key}`);
  return { label: `${environment}/${secret}/${key}`, value: marker };
}

function snapshots(): Record<string, string> {
  const tests = filesUnder(join(REPO, 'test'));
  return Object.fromEntries(Object.entries(tests).filter(([path]) => path.includes('__snapshots__/')));
}

describe('leak test', () => {
  test('no planted secret value reaches the output tree, the process output or the snapshots', async () => {
    // GIVEN a marker in every key of every secret source
    const root = sampleRoot('fleet-leak-');
    const markers: KnownSecret[] = [];
    for (const environment of ENVIRONMENTS) {
      for (const secret of sourcesOf(root, environment)) {
        for (const { key } of keysOf(root, environment, secret)) markers.push(await plant(root, environment, secret, key));
      }
    }
    expect(markers.length).toBeGreaterThanOrEqual(9);

    // WHEN the whole synth runs with the keys
    const run = await captured({ SOPS_AGE_KEY_FILE: testKeysFile(root), HOME: root }, () => synth([], root, fleet));
    expect(run.thrown).toBeUndefined();
    expect(run.value).toBe(0);

    // THEN the markers are in the clusters, sealed and encrypted (positive control) …
    const sealed = parseYamlDocuments(readFileSync(join(root, 'clusters/staging/apps/microservices/secrets/sealed-secret-mysql.yaml'), 'utf8'))[0] as KubeObject;
    const unsealed = unsealSecret(withNamespace(sealed, 'microservices'), fixture('staging-sealed-secrets-key.pem'));
    expect(unsealed.ok && unsealed.value.password.toString()).toBe(markers.find((m) => m.label === 'staging/mysql/password')?.value);
    const encrypted = readFileSync(join(root, 'clusters/development/apps/development/secrets/secret-bookstore-api-keys.yaml'), 'utf8');
    const opened = (await sopsAgeDecrypt(encrypted, { secretKey: sampleIdentities('cluster-development')[0], fileType: 'yaml' })) as { stringData: Record<string, string> };
    expect(opened.stringData['payments-api-key']).toBe(markers.find((m) => m.label === 'development/bookstore-api-keys/payments-api-key')?.value);

    // … and nowhere in clear: not in any file under the root (output, sources, caches), not in
    // what the process printed, not in the committed snapshots
    expect(findKnownValues(filesUnder(root), markers)).toEqual([]);
    expect(findKnownValues({ output: run.output }, markers)).toEqual([]);
    expect(findKnownValues(snapshots(), markers)).toEqual([]);

    // WHEN a value changes and CI (no key) renders: the error names the secret, never the value
    const changed = await plant(root, 'staging', 'mysql', 'password');
    const ci = await captured({ HOME: root }, () => synth([], root, fleet));
    expect(ci.thrown).toBeInstanceOf(FleetError);
    expect((ci.thrown as FleetError).problems.map((p) => [p.code, p.place.object])).toEqual([['secrets/changed-without-key', 'SealedSecret/microservices/mysql']]);
    expect(findKnownValues({ output: ci.output }, [...markers, changed])).toEqual([]);
    expect(findKnownValues(filesUnder(root), [...markers, changed])).toEqual([]);
  }, 60_000);

  test('the sample values themselves appear in no committed output or snapshot', async () => {
    const values: KnownSecret[] = [];
    for (const environment of ENVIRONMENTS) {
      for (const secret of sourcesOf(REPO, environment)) {
        for (const [key, value] of Object.entries(await sourceValues(REPO, environment, secret))) values.push({ label: `${environment}/${secret}/${key}`, value });
      }
    }
    expect(values.length).toBeGreaterThanOrEqual(9);
    const committed = { ...filesUnder(join(REPO, 'clusters')), ...filesUnder(join(REPO, 'dist')), ...snapshots() };
    expect(findKnownValues(committed, values, { minLength: 8 })).toEqual([]);
  });
});
