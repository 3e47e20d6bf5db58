import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { parse } from 'yaml';
import { secrets, type SecretsIo } from '../../src/commands/secrets';
import { fleet } from '../../src/environments';
import { FleetError } from '../../src/model/problem';
import { renderFleet } from '../../src/render/render-fleet';
import { prepareFleetSecrets, withNamespace } from '../../src/render/secrets';
import { writeOutput } from '../../src/render/write-output';
import { parseYamlDocuments } from '../../src/render/yaml';
import type { KubeObject } from '../../src/model/kube-object';
import { findKnownValues } from '../../src/secrets/leak-scan';
import { unsealSecret } from '../../src/secrets/sealed-secrets';
import { decryptSops } from '../../src/secrets/sops';
import { fixture, NOW, SAMPLE_STANDING_WARNINGS, sampleIdentities, sampleRecipient } from '../secrets/fixtures';
import { filesUnder, keyEnv, sampleRoot, sourceValues } from '../secrets/sample-root';

// Runs age / SOPS / sealing crypto: on a busy 2-core machine one test can take far longer than jest's 5 s default.
jest.setTimeout(120_000);

interface Session extends SecretsIo {
  readonly lines: string[];
  readonly prompts: string[];
}

function session(root: string, options: { value?: string; withKeys?: boolean } = {}): Session {
  const lines: string[] = [];
  const prompts: string[] = [];
  return {
    env: keyEnv(root, options.withKeys ?? true),
    readValue: async (prompt) => {
      prompts.push(prompt);
      return Buffer.from(options.value ?? '');
    },
    print: (line) => lines.push(line),
    fleet,
    lines,
    prompts,
  };
}

async function problemCodes(run: Promise<number>): Promise<string[]> {
  try {
    await run;
  } catch (cause) {
    if (cause instanceof FleetError) return cause.problems.map((p) => p.code);
    throw cause;
  }
  throw new Error('the command succeeded');
}

const read = (root: string, path: string) => readFileSync(join(root, path), 'utf8');

// Renders the sample fleet and runs age for every namespace's secrets: generous on a shared 2-core machine.
jest.setTimeout(120_000);

describe('npm run secrets', () => {
  test('set creates a secret with the .sops.yaml creation rule, reading the value from stdin or the prompt', async () => {
    // GIVEN no key at all: creating a file only needs the recipients
    const root = sampleRoot();
    const io = session(root, { value: 'redis-Pa55-0815', withKeys: false });

    // WHEN
    expect(await secrets(['set', 'staging', 'redis', 'password'], root, io)).toBe(0);

    // THEN it is encrypted for the staging environment key only, as a readable Secret manifest
    const text = read(root, 'secrets/staging/redis.sops.yaml');
    const opened = await decryptSops(text, { identities: sampleIdentities('staging') });
    expect(opened.ok && opened.value.data).toMatchObject({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'redis' }, type: 'Opaque', stringData: { password: 'redis-Pa55-0815' } });
    expect(parse(text).sops.age.map((a: { recipient: string }) => a.recipient)).toEqual([sampleRecipient('staging')]);
    expect(parse(text).sops.encrypted_regex).toBe('^(data|stringData)$');
    expect(io.prompts).toEqual(['value of staging/redis password (input hidden): ']);
    expect(io.lines.join('\n')).not.toContain('redis-Pa55-0815');
    expect(text).not.toContain('redis-Pa55-0815');
  }, 120_000);

  test('a registry credential gets the dockerconfigjson type; binary values go to data', async () => {
    const root = sampleRoot();
    await secrets(['set', 'development', 'ghcr', '.dockerconfigjson'], root, session(root, { value: '{"auths":{"ghcr.io":{}}}' }));
    expect(parse(read(root, 'secrets/development/ghcr.sops.yaml')).type).toBe('kubernetes.io/dockerconfigjson');

    const binary: SecretsIo = { ...session(root), readValue: async () => Buffer.from([0, 159, 146, 150]) };
    await secrets(['set', 'development', 'keystore', 'store.p12', '--type', 'Opaque'], root, binary);
    expect(Object.keys(parse(read(root, 'secrets/development/keystore.sops.yaml')).data)).toEqual(['store.p12']);
    expect((await sourceValues(root, 'development', 'keystore'))['store.p12']).toEqual(Buffer.from([0, 159, 146, 150]));
  }, 120_000);

  test('set on an existing secret changes that key only, and needs the key to open the file', async () => {
    const root = sampleRoot();
    const before = parse(read(root, 'secrets/development/bookstore-api-keys.sops.yaml'));

    await secrets(['set', 'development', 'bookstore-api-keys', 'payments-api-key'], root, session(root, { value: 'pk_rotated_0001' }));

    const after = parse(read(root, 'secrets/development/bookstore-api-keys.sops.yaml'));
    expect(after.stringData['catalog-api-key']).toBe(before.stringData['catalog-api-key']);
    expect(after.stringData['payments-api-key']).not.toBe(before.stringData['payments-api-key']);
    expect((await sourceValues(root, 'development', 'bookstore-api-keys'))['payments-api-key'].toString()).toBe('pk_rotated_0001');

    // The same value again: nothing to commit.
    const again = session(root, { value: 'pk_rotated_0001' });
    const bytes = read(root, 'secrets/development/bookstore-api-keys.sops.yaml');
    await secrets(['set', 'development', 'bookstore-api-keys', 'payments-api-key'], root, again);
    expect(read(root, 'secrets/development/bookstore-api-keys.sops.yaml')).toBe(bytes);
    expect(again.lines[0]).toContain('already holds this value');

    expect(await problemCodes(secrets(['set', 'development', 'bookstore-api-keys', 'payments-api-key'], root, session(root, { value: 'x', withKeys: false })))).toEqual(['secrets/sops-no-identity']);
  }, 120_000);

  test('values are never taken from the command line', async () => {
    const root = sampleRoot();
    for (const argv of [['set', 'staging', 'mysql', 'password', 'hunter2'], ['set', 'staging', 'mysql', 'password', '--value', 'hunter2'], ['set', 'staging', 'mysql', 'password', '--from-literal=hunter2']]) {
      const io = session(root, { value: 'unused' });
      let thrown: unknown;
      try {
        await secrets(argv, root, io);
      } catch (cause) {
        thrown = cause;
      }
      expect((thrown as FleetError).problems.map((p) => p.code)).toEqual(['secrets/value-on-command-line']);
      expect(JSON.stringify((thrown as FleetError).problems)).not.toContain('hunter2');
      expect(io.prompts).toEqual([]);
    }
  }, 120_000);

  test('list prints secret and key names, never values', async () => {
    const root = sampleRoot();
    const io = session(root, { withKeys: false });
    await secrets(['list', 'development'], root, io);
    expect(io.lines).toEqual([
      'bookstore-api-keys (Opaque, secrets/development/bookstore-api-keys.sops.yaml): catalog-api-key, payments-api-key',
      'docker-hub (kubernetes.io/dockerconfigjson, secrets/development/docker-hub.sops.yaml): .dockerconfigjson',
      'dockerhub (kubernetes.io/dockerconfigjson, secrets/development/dockerhub.sops.yaml): .dockerconfigjson',
      'hydra (Opaque, secrets/development/hydra.sops.yaml): DATABASE_URL, OIDC_SUBJECT_TYPE_PAIRWISE_SALT, SYSTEM_SECRET',
      'reaction (Opaque, secrets/development/reaction.sops.yaml): MONGO_OPLOG_URL, MONGO_URL',
    ]);
    const values = Object.entries(await sourceValues(root, 'development', 'bookstore-api-keys')).map(([label, value]) => ({ label, value }));
    expect(findKnownValues({ output: io.lines.join('\n') }, values)).toEqual([]);
  }, 120_000);

  test('remove deletes one key; an unknown key is a problem', async () => {
    const root = sampleRoot();
    await secrets(['remove', 'development', 'bookstore-api-keys', 'catalog-api-key'], root, session(root));
    const io = session(root);
    await secrets(['list', 'development', 'bookstore-api-keys'], root, io);
    expect(io.lines).toEqual(['bookstore-api-keys (Opaque, secrets/development/bookstore-api-keys.sops.yaml): payments-api-key']);
    expect(await problemCodes(secrets(['remove', 'development', 'bookstore-api-keys', 'nope'], root, session(root)))).toEqual(['secrets/sops-key-missing']);
  }, 120_000);

  test('rotate re-wraps data keys for the recipients .sops.yaml names now, without churning the clusters', async () => {
    // GIVEN a rendered, committed fleet, then a second recipient for staging in .sops.yaml
    const root = sampleRoot();
    const rendered = renderFleet(fleet, { secrets: (await prepareFleetSecrets(fleet, root, { env: keyEnv(root, true), now: NOW })).secrets });
    writeOutput(root, rendered.files);
    // Every staging rule: the general one and seed 004's rule that also names a KMS key.
    const rules = read(root, '.sops.yaml').replaceAll(`age: ${sampleRecipient('staging')}`, `age: ${sampleRecipient('staging')},${sampleRecipient('cluster-staging')}`);
    writeFileSync(join(root, '.sops.yaml'), rules);
    const before = parse(read(root, 'secrets/staging/mysql.sops.yaml'));

    // WHEN
    const io = session(root);
    await secrets(['rotate'], root, io);

    // THEN only the staging files changed: same values and ciphertexts, one more recipient
    expect(io.lines.filter((line) => line.startsWith('rotated'))).toEqual([
      'rotated secrets/staging/docker-hub.sops.yaml',
      'rotated secrets/staging/dockerhub.sops.yaml',
      'rotated secrets/staging/hydra.sops.yaml',
      'rotated secrets/staging/mysql.sops.yaml',
      'rotated secrets/staging/reaction.sops.yaml',
    ]);
    const after = parse(read(root, 'secrets/staging/mysql.sops.yaml'));
    expect(after.stringData).toEqual(before.stringData);
    expect(after.sops.age.map((a: { recipient: string }) => a.recipient)).toEqual([sampleRecipient('staging'), sampleRecipient('cluster-staging')]);
    const opened = await decryptSops(read(root, 'secrets/staging/mysql.sops.yaml'), { identities: sampleIdentities('cluster-staging') });
    expect(opened.ok).toBe(true);
    const rerun = session(root);
    await secrets(['rotate', 'staging'], root, rerun);
    expect(rerun.lines.at(-1)).toBe('0 of 5 files re-wrapped for the recipients in .sops.yaml');

    // AND CI, without a key, reuses every committed secret
    const ci = await prepareFleetSecrets(fleet, root, { env: keyEnv(root, false), now: NOW });
    expect([ci.problems.filter((p) => !SAMPLE_STANDING_WARNINGS.includes(p.code)), ci.stats.renewed]).toEqual([[], 0]);
  }, 120_000);

  test('reseal seals one cluster anew and writes only its secrets', async () => {
    // GIVEN a committed render
    const root = sampleRoot();
    const rendered = renderFleet(fleet, { secrets: (await prepareFleetSecrets(fleet, root, { env: keyEnv(root, true), now: NOW })).secrets });
    writeOutput(root, rendered.files);
    const before = filesUnder(root);

    // WHEN
    const io = session(root);
    expect(await secrets(['reseal', 'staging'], root, io)).toBe(0);

    // THEN exactly staging's two SealedSecrets changed, and they still unseal to the sources
    const after = filesUnder(root);
    const changed = Object.keys(after).filter((path) => after[path] !== before[path]);
    expect(changed.sort()).toEqual(['clusters/staging/apps/microservices/secrets/sealed-secret-dockerhub.yaml', 'clusters/staging/apps/microservices/secrets/sealed-secret-mysql.yaml']);
    const mysql = withNamespace(parseYamlDocuments(after['clusters/staging/apps/microservices/secrets/sealed-secret-mysql.yaml'])[0] as KubeObject, 'microservices');
    const unsealed = unsealSecret(mysql, fixture('staging-sealed-secrets-key.pem'));
    expect(unsealed.ok && unsealed.value.password).toEqual((await sourceValues(root, 'staging', 'mysql')).password);
    expect(io.lines).toEqual(['resealed 2 secrets of cluster staging: 2 files written — commit them']);

    // Without a key there is nothing to seal with.
    expect(await problemCodes(secrets(['reseal', 'staging'], root, session(root, { withKeys: false })))).toEqual(['secrets/changed-without-key', 'secrets/changed-without-key']);
  }, 120_000);

  test('an unknown command prints the usage', async () => {
    const root = sampleRoot();
    const io = session(root);
    expect(await secrets(['frobnicate'], root, io)).toBe(1);
    expect(io.lines[0]).toContain('usage: npm run secrets');
  }, 120_000);
});
