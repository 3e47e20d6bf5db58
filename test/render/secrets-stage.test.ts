import { copyFileSync, mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { decryptSops as sopsAgeDecrypt } from 'sops-age';
import { setSecretValue } from '../../src/commands/lib/secret-files';
import { fleet } from '../../src/environments';
import type { FleetSpec } from '../../src/model/fleet';
import type { KubeObject } from '../../src/model/kube-object';
import { renderFleet, type RenderResult } from '../../src/render/render-fleet';
import { prepareFleetSecrets, withNamespace, type PreparedSecrets } from '../../src/render/secrets';
import { writeOutput } from '../../src/render/write-output';
import { parseYamlDocuments } from '../../src/render/yaml';
import { decryptSops } from '../../src/secrets/sops';
import { unsealSecret } from '../../src/secrets/sealed-secrets';
import { fixture, NOW, SAMPLE_STANDING_WARNINGS, sampleIdentities } from '../secrets/fixtures';
import { keyEnv, sampleRoot, sourceValues } from '../secrets/sample-root';

// Runs age / SOPS / sealing crypto: on a busy 2-core machine one test can take far longer than jest's 5 s default.
jest.setTimeout(120_000);

/** Secret files synth writes: `clusters/<cluster>/apps/<namespace>/secrets/<kind>-<name>.yaml`. */
const SECRET_FILE = /^clusters\/([^/]+)\/apps\/([^/]+)\/secrets\/(sealed-secret|secret)-([^/]+)\.yaml$/;

interface Render {
  readonly prepared: PreparedSecrets;
  readonly result: RenderResult;
}

async function render(root: string, out: string, options: { withKeys: boolean; fleet?: FleetSpec; reseal?: string[] }): Promise<Render> {
  const all = await prepareFleetSecrets(options.fleet ?? fleet, root, { env: keyEnv(root, options.withKeys), out, now: NOW, reseal: options.reseal });
  // The sample runs on the TEST-ONLY keys on purpose (and more: SAMPLE_STANDING_WARNINGS); those warnings are tested where they are made.
  const prepared = { ...all, problems: all.problems.filter((p) => !SAMPLE_STANDING_WARNINGS.includes(p.code)) };
  const result = renderFleet(options.fleet ?? fleet, { secrets: prepared.secrets });
  return { prepared, result };
}

function secretFiles(result: RenderResult): { path: string; cluster: string; namespace: string; kind: string; name: string; text: string }[] {
  return [...result.files].flatMap(([path, text]) => {
    const match = SECRET_FILE.exec(path);
    return match ? [{ path, cluster: match[1], namespace: match[2], kind: match[3], name: match[4], text }] : [];
  });
}

function environmentOf(cluster: string): string {
  return fleet.clusters.find((c) => c.name === cluster)?.environment ?? '';
}

function codes(prepared: PreparedSecrets): string[] {
  return prepared.problems.filter((p) => p.severity === 'error').map((p) => p.code);
}

// Renders the sample fleet and runs age for every namespace's secrets: generous on a shared 2-core machine.
jest.setTimeout(120_000);

describe('secrets stage on the sample fleet', () => {
  // GIVEN the sample sources, rendered once with every TEST-ONLY key into an empty output tree
  const root = sampleRoot();
  const out = mkdtempSync(join(tmpdir(), 'fleet-out-'));
  let first: Render;
  /** Secret objects the sample fleet delivers (one per namespace and secret). */
  let OBJECTS: number;
  beforeAll(async () => {
    first = await render(root, out, { withKeys: true });
    expect(first.prepared.problems).toEqual([]);
    writeOutput(out, first.result.files);
    OBJECTS = [...first.prepared.secrets.values()].reduce((sum, s) => sum + s.objects.length, 0);
    // bookstore's ECR images need no Docker Hub pull secret: development and production deliver one secret each.
    expect(OBJECTS).toBeGreaterThanOrEqual(7);
  });

  test('each namespace gets the secrets its services use, with its cluster backend', () => {
    const delivered = Object.fromEntries(
      [...first.prepared.secrets].map(([cluster, secrets]) => [cluster, { sops: secrets.sopsDecryption, objects: secrets.objects.map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`) }]),
    );
    expect(delivered).toMatchObject({
      staging: { sops: false, objects: ['SealedSecret/microservices/dockerhub', 'SealedSecret/microservices/mysql'] },
      development: { sops: true, objects: ['Secret/development/bookstore-api-keys'] },
      production: { sops: false, objects: ['SealedSecret/production/bookstore-api-keys'] },
      // specials seals (Argo CD applies its apps and cannot decrypt SOPS); shop keeps SOPS.
      specials: { sops: false, objects: ['SealedSecret/flightspecials/dockerhub'] },
      shop: { sops: true },
    });
    // Every cluster's pull secrets reach every one of its application namespaces.
    for (const cluster of fleet.clusters.filter((c) => c.secrets)) {
      const namespaces = new Set(first.result.clusters.find((c) => c.spec.name === cluster.name)?.objects.filter((o) => o.kind === 'Deployment').map((o) => o.metadata.namespace));
      for (const pull of cluster.secrets?.imagePullSecrets ?? []) {
        for (const namespace of namespaces) expect(delivered[cluster.name].objects).toContainEqual(expect.stringMatching(new RegExp(`^(Sealed)?Secret/${namespace}/${pull}$`)));
      }
    }
    expect(first.prepared.stats).toEqual({ objects: OBJECTS, renewed: OBJECTS });
    // Flux decrypts SOPS Secrets only where the cluster's backend is sops.
    expect(first.result.files.get('clusters/development/apps.yaml')).toContain('decryption:\n    provider: sops\n    secretRef:\n      name: sops-age');
    expect(first.result.files.get('clusters/production/apps.yaml')).not.toContain('decryption');
  });

  test('every emitted SealedSecret unseals, with the sample private key and the controller algorithm, to its source values', async () => {
    const sealed = secretFiles(first.result).filter((f) => f.kind === 'sealed-secret');
    expect(sealed.map((f) => f.path).sort()).toEqual([
      'clusters/production/apps/production/secrets/sealed-secret-bookstore-api-keys.yaml',
      'clusters/specials/apps/flightspecials/secrets/sealed-secret-dockerhub.yaml',
      'clusters/staging/apps/microservices/secrets/sealed-secret-dockerhub.yaml',
      'clusters/staging/apps/microservices/secrets/sealed-secret-mysql.yaml',
    ]);
    for (const file of sealed) {
      // The namespace comes from the namespace's kustomization, as in the cluster.
      const object = withNamespace(parseYamlDocuments(file.text)[0] as KubeObject, file.namespace);
      const unsealed = unsealSecret(object, fixture(`${file.cluster}-sealed-secrets-key.pem`));
      expect({ file: file.path, values: unsealed.ok ? unsealed.value : unsealed.problems }).toEqual({ file: file.path, values: await sourceValues(root, environmentOf(file.cluster), file.name) });
      // Strict scope: namespace explicit in the template, no scope annotations, and bound to its namespace.
      const spec = object.spec as { template: { metadata: Record<string, unknown>; type?: string } };
      expect(spec.template.metadata).toMatchObject({ name: file.name, namespace: file.namespace });
      expect(Object.keys(object.metadata.annotations ?? {}).filter((a) => a.startsWith('sealedsecrets.bitnami.com/'))).toEqual([]);
      expect(unsealSecret(withNamespace(object, 'elsewhere'), fixture(`${file.cluster}-sealed-secrets-key.pem`)).ok).toBe(false);
      if (file.name === 'dockerhub') expect(spec.template.type).toBe('kubernetes.io/dockerconfigjson');
    }
  });

  test('sops-age (and our MAC-checking decoder) decrypt every SOPS file the generator writes, with the cluster key only', async () => {
    const encrypted = secretFiles(first.result).filter((f) => f.kind === 'secret');
    expect(encrypted.map((f) => `${f.cluster}/${f.name}`)).toEqual(expect.arrayContaining(['development/bookstore-api-keys', 'shop/dockerhub']));
    for (const file of encrypted) {
      const [clusterKey] = sampleIdentities(`cluster-${file.cluster}`);
      const expected = Object.fromEntries(Object.entries(await sourceValues(root, environmentOf(file.cluster), file.name)).map(([k, v]) => [k, v.toString('utf8')]));
      const byThem = (await sopsAgeDecrypt(file.text, { secretKey: clusterKey, fileType: 'yaml' })) as { stringData: Record<string, string>; type: string };
      expect({ file: file.path, values: byThem.stringData }).toEqual({ file: file.path, values: expected });
      const byUs = await decryptSops(file.text, { identities: [clusterKey] });
      expect(byUs.ok && byUs.value.data.stringData).toEqual(expected);
      expect((await decryptSops(file.text, { identities: sampleIdentities(environmentOf(file.cluster)) })).ok).toBe(false);
      if (file.name === 'dockerhub') expect(byThem.type).toBe('kubernetes.io/dockerconfigjson');
    }
  });

  test('a re-render reuses every committed secret byte for byte, with and without a key', async () => {
    for (const withKeys of [true, false]) {
      const again = await render(root, out, { withKeys });
      expect({ withKeys, problems: again.prepared.problems, stats: again.prepared.stats }).toEqual({ withKeys, problems: [], stats: { objects: OBJECTS, renewed: 0 } });
      expect(secretFiles(again.result)).toEqual(secretFiles(first.result));
      expect(writeOutput(out, again.result.files).written).toEqual([]);
    }
  });

  test('without a key, a changed source is secrets/changed-without-key naming the secret, wherever it is delivered', async () => {
    // GIVEN the production pull secret set to a new value (another root, same committed output)
    const edited = sampleRoot();
    const set = await setSecretValue({ root: edited, identities: sampleIdentities('production') }, 'production', 'dockerhub', '.dockerconfigjson', Buffer.from('{"auths":{}}'));
    expect(set.ok).toBe(true);

    // WHEN CI renders it without a key
    const ci = await render(edited, out, { withKeys: false });

    // THEN every cluster of the environment names the secret, its source and the fix
    const production = fleet.clusters.filter((c) => c.environment === 'production' && c.secrets?.imagePullSecrets?.includes('dockerhub')).map((c) => c.name);
    // One delivery per namespace of those clusters that uses the secret (shop: microservices-demo).
    const deliveries = secretFiles(first.result).filter((f) => production.includes(f.cluster) && f.name === 'dockerhub');
    expect(ci.prepared.problems).toHaveLength(deliveries.length);
    expect(ci.prepared.problems.map((p) => ({ code: p.code, cluster: p.place.cluster, object: p.place.object, definition: p.place.definition }))).toEqual(
      expect.arrayContaining([
        { code: 'secrets/changed-without-key', cluster: 'specials', object: 'SealedSecret/flightspecials/dockerhub', definition: 'secrets/production/dockerhub.sops.yaml' },
        { code: 'secrets/changed-without-key', cluster: 'shop', object: 'Secret/microservices-demo/dockerhub', definition: 'secrets/production/dockerhub.sops.yaml' },
      ]),
    );
    expect(new Set(ci.prepared.problems.map((p) => p.place.cluster))).toEqual(new Set(production));
    expect(ci.prepared.problems.every((p) => p.fix.includes('SOPS_AGE_KEY_FILE') && p.place.object?.endsWith('/dockerhub'))).toBe(true);

    // AND with the key only those are sealed or encrypted again; everything else is reused
    const local = await render(edited, out, { withKeys: true });
    expect(local.prepared.problems).toEqual([]);
    expect(local.prepared.stats).toEqual({ objects: OBJECTS, renewed: deliveries.length });
    const changed = secretFiles(local.result).filter((f) => first.result.files.get(f.path) !== f.text);
    expect(changed.map((f) => f.path).sort()).toEqual(deliveries.map((f) => f.path).sort());
  });

  test('a new sealing certificate re-seals that cluster only, and needs the key', async () => {
    // GIVEN staging's controller got a new key pair (here: production's test certificate)
    const moved = sampleRoot();
    copyFileSync(join(moved, 'secrets/clusters/production/sealed-secrets-cert.pem'), join(moved, 'secrets/clusters/staging/sealed-secrets-cert.pem'));

    // THEN CI cannot reuse the old ciphertexts, and says why
    const ci = await render(moved, out, { withKeys: false });
    expect(new Set(ci.prepared.problems.map((p) => `${p.code} ${p.place.cluster}`))).toEqual(new Set(['secrets/changed-without-key staging']));
    expect(ci.prepared.problems[0].message).toContain('the sealing certificate changed');

    // AND with the key staging is sealed for the new certificate (openable with its private key)
    const local = await render(moved, out, { withKeys: true });
    expect(local.prepared.stats.renewed).toBe(2);
    const mysql = local.prepared.secrets.get('staging')?.objects.find((o) => o.metadata.name === 'mysql') as KubeObject;
    const unsealed = unsealSecret(mysql, fixture('production-sealed-secrets-key.pem'));
    expect(unsealed.ok && unsealed.value.password).toEqual((await sourceValues(root, 'staging', 'mysql')).password);
  }, 120_000);

  test('reseal forgets the committed objects of one cluster', async () => {
    const resealed = await render(root, out, { withKeys: true, reseal: ['specials'] });
    expect(resealed.prepared.stats).toEqual({ objects: OBJECTS, renewed: 1 });
    const changed = secretFiles(resealed.result).filter((f) => first.result.files.get(f.path) !== f.text);
    expect(changed.map((f) => f.cluster)).toEqual(['specials']);
    expect(codes(await prepareFleetSecrets(fleet, root, { env: keyEnv(root, false), out, now: NOW, reseal: ['staging'] }))).toEqual(['secrets/changed-without-key', 'secrets/changed-without-key']);
  });
});
