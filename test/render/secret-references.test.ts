import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { synth } from '../../src/commands/synth';
import { fleet as sampleFleet } from '../../src/environments';
import type { ClusterSpec, SecretsBackendSpec } from '../../src/model/cluster';
import type { FleetSpec } from '../../src/model/fleet';
import { FleetError, type Problem } from '../../src/model/problem';
import type { ServiceSpec } from '../../src/model/service';
import { renderFleet } from '../../src/render/render-fleet';
import { leakProblems, prepareSecrets } from '../../src/render/secrets';
import { FIXTURES, NOW, SAMPLE_STANDING_WARNINGS } from '../secrets/fixtures';
import { sampleRoot } from '../secrets/sample-root';
import { miniFleet } from '../support/fleet-fixtures';
import { renderOk, tempDir } from '../support/render-to-dir';
import { podTemplateOf } from '../../src/validate/workloads';

const SEALED: SecretsBackendSpec = { backend: 'sealed-secrets', certificate: 'secrets/clusters/staging/sealed-secrets-cert.pem' };

/** miniFleet (service web in namespace shop, cluster stage of environment staging) with secrets. */
function shop(service: Partial<ServiceSpec>, cluster: Partial<ClusterSpec> = { secrets: SEALED }): FleetSpec {
  return miniFleet({ service, cluster });
}

async function problemsOf(fleet: FleetSpec, root = sampleRoot()): Promise<Problem[]> {
  // Every cluster here uses the repository's test certificate (and the sample's other standing warnings): tested where they are made.
  return (await prepareSecrets(fleet, root, { identities: [], now: NOW, out: tempDir() })).problems.filter((p) => !SAMPLE_STANDING_WARNINGS.includes(p.code));
}

describe('secret references are checked against the sources', () => {
  test('a missing secret names the service, the secret and the key', async () => {
    const [problem, ...rest] = await problemsOf(shop({ env: { DB_PASSWORD: { secret: { name: 'db', key: 'password' } } } }));
    expect(rest).toEqual([]);
    expect(problem).toMatchObject({
      code: 'secrets/missing-secret',
      severity: 'error',
      place: { cluster: 'stage', environment: 'staging', namespace: 'shop', service: 'web', field: 'env.DB_PASSWORD', definition: 'test/shop.ts' },
    });
    expect(problem.message).toBe('web reads key "password" of secret "db", but secrets/staging/db.sops.yaml does not exist');
    expect(problem.fix).toContain('npm run secrets -- set staging db password');
  });

  test('a missing key names the keys the secret has', async () => {
    const problems = await problemsOf(shop({ env: { DB_PASSWORD: { secret: { name: 'mysql', key: 'pasword' } } }, secretFiles: [{ secret: 'mysql', mountPath: '/etc/db', keys: ['password', 'user'] }] }));
    expect(problems.map((p) => [p.code, p.place.field, p.message])).toEqual([
      ['secrets/missing-key', 'env.DB_PASSWORD', 'web reads key "pasword" of secret "mysql", which has only "password" (secrets/staging/mysql.sops.yaml)'],
      ['secrets/missing-key', 'secretFiles[0]', 'web mounts key "user" of secret "mysql", which has only "password" (secrets/staging/mysql.sops.yaml)'],
    ]);
  });

  test('pull secrets must hold registry credentials, from the service or the cluster', async () => {
    const problems = await problemsOf(shop({ imagePullSecrets: ['mysql'] }, { secrets: { ...SEALED, imagePullSecrets: ['mysql'] } }));
    expect(problems.map((p) => [p.code, p.place.field, p.place.definition])).toEqual([['secrets/not-a-pull-secret', 'secrets.imagePullSecrets', 'test/clusters.ts']]);
    expect(problems[0].message).toContain('type "Opaque"');
  });

  test('a cluster without a secrets backend cannot deliver one', async () => {
    const problems = await problemsOf(shop({ env: { DB_PASSWORD: { secret: { name: 'mysql', key: 'password' } } } }, {}));
    expect(problems.map((p) => [p.code, p.place.cluster, p.place.service])).toEqual([['secrets/no-backend', 'stage', 'web']]);
  });

  test('a secret is delivered once per namespace however often it is used; a first delivery needs the key', async () => {
    const prepared = await prepareSecrets(
      shop({ env: { A: { secret: { name: 'mysql', key: 'password' } }, B: { secret: { name: 'mysql', key: 'password' } } }, secretFiles: [{ secret: 'mysql', mountPath: '/etc/db' }], imagePullSecrets: ['dockerhub'] }),
      sampleRoot(),
      { identities: [], now: NOW, out: tempDir() },
    );
    // Without a key nothing can be sealed for the first time, and the problem says which secret.
    expect(prepared.problems.filter((p) => !SAMPLE_STANDING_WARNINGS.includes(p.code)).map((p) => [p.code, p.place.object])).toEqual([
      ['secrets/changed-without-key', 'SealedSecret/shop/dockerhub'],
      ['secrets/changed-without-key', 'SealedSecret/shop/mysql'],
    ]);
  });
});

describe('certificates', () => {
  async function synthProblems(certificate: string | undefined): Promise<Problem[]> {
    const root = sampleRoot();
    if (certificate) {
      mkdirSync(join(root, 'secrets/clusters/stage'), { recursive: true });
      copyFileSync(certificate, join(root, 'secrets/clusters/stage/sealed-secrets-cert.pem'));
    }
    const fleet = shop({ env: { DB_PASSWORD: { secret: { name: 'mysql', key: 'password' } } } }, { secrets: { backend: 'sealed-secrets', certificate: 'secrets/clusters/stage/sealed-secrets-cert.pem' } });
    const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      await synth([], root, fleet);
    } catch (cause) {
      expect(cause).toBeInstanceOf(FleetError);
      return [...(cause as FleetError).problems];
    } finally {
      stdout.mockRestore();
    }
    throw new Error('synth succeeded');
  }

  test('an expired certificate stops synth with a clear error', async () => {
    const problems = await synthProblems(join(FIXTURES, 'expired-sealed-secrets-cert.pem'));
    expect(problems.map((p) => [p.code, p.place.cluster, p.place.definition])).toEqual([['secrets/certificate-expired', 'stage', 'secrets/clusters/stage/sealed-secrets-cert.pem']]);
    expect(problems[0].message).toContain('expired on 2021-01-01');
    expect(problems[0].fix).toContain('kubeseal --fetch-cert > secrets/clusters/stage/sealed-secrets-cert.pem');
  });

  test('a missing certificate stops synth with a clear error', async () => {
    const problems = await synthProblems(undefined);
    expect(problems.map((p) => [p.code, p.place.cluster])).toEqual([['secrets/certificate-missing', 'stage']]);
  });
});

describe('pods use what the model declares', () => {
  const result = renderOk(sampleFleet);
  const deployment = (cluster: string, name: string): any => result.clusters.find((c) => c.spec.name === cluster)?.objects.find((o) => o.kind === 'Deployment' && o.metadata.name === name);
  // The pod spec of a service's workload, whatever its kind (a CronJob keeps it under jobTemplate).
  const podSpec = (cluster: string, name: string): any =>
    result.clusters.find((c) => c.spec.name === cluster)?.objects.map((o) => (o.metadata.name === name ? podTemplateOf(o) : undefined)).find((t) => t !== undefined)?.spec;

  test("the cluster's pull secrets reach every pod, never the environment-neutral base", () => {
    for (const cluster of sampleFleet.clusters.filter((c) => c.secrets?.imagePullSecrets?.includes('dockerhub'))) {
      for (const service of cluster.services) expect([cluster.name, service, podSpec(cluster.name, service).imagePullSecrets]).toEqual([cluster.name, service, [{ name: 'dockerhub' }]]);
    }
    expect(result.files.get('dist/bases/flights/deployment.yaml')).not.toContain('imagePullSecrets');
  });

  test('env vars read secret keys, and secretFiles mount a secret read-only', () => {
    const env = deployment('production', 'renting-api').spec.template.spec.containers[0].env;
    expect(env).toContainEqual({ name: 'PAYMENTS_API_KEY', valueFrom: { secretKeyRef: { name: 'bookstore-api-keys', key: 'payments-api-key' } } });
    // The sample fleet mounts no secret files any more (flightspecials' database password comes from AWS Secrets Manager).
    const mounted = renderFleet(shop({ secretFiles: [{ secret: 'mysql', mountPath: '/etc/db' }] }));
    const pod = (mounted.clusters[0].objects.find((o) => o.kind === 'Deployment') as any).spec.template.spec;
    expect(pod.volumes).toContainEqual({ name: 'secret-mysql', secret: { secretName: 'mysql' } });
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'secret-mysql', mountPath: '/etc/db', readOnly: true });
  });
});

describe('leak gates', () => {
  const plain = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'leaky', namespace: 'shop' }, stringData: { token: 'plain-token-value-0451' } };

  test('synth refuses to render a Secret with data that sops did not encrypt', () => {
    const result = renderFleet(miniFleet(), { secrets: new Map([['stage', { objects: [plain] }]]) });
    expect(result.files.size).toBe(0);
    expect(result.problems.filter((p) => p.code === 'secrets/plaintext-secret')).toEqual([
      expect.objectContaining({ place: { cluster: 'stage', namespace: 'shop', object: 'Secret/shop/leaky', field: 'stringData.token' } }),
    ]);
    expect(JSON.stringify(result.problems)).not.toContain('plain-token-value-0451');
  });

  test('`npm run check` finds a committed plain Secret, and accepts encrypted ones', () => {
    const root = tempDir();
    const write = (path: string, text: string) => {
      mkdirSync(join(root, path, '..'), { recursive: true });
      writeFileSync(join(root, path), text);
    };
    write('clusters/stage/apps/shop/secrets/secret-leaky.yaml', `# Generated by fleet-synth\napiVersion: v1\nkind: Secret\nmetadata:\n  name: leaky\nstringData:\n  token: plain-token-value-0451\n`);
    write('clusters/stage/apps/shop/secrets/secret-mysql.yaml', readFileSync(join(sampleRoot(), 'secrets/staging/mysql.sops.yaml'), 'utf8'));
    write('dist/bases/web/config-map-web.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  a: b\n');
    expect(leakProblems(root).map((p) => [p.code, p.place.definition, p.place.field])).toEqual([['secrets/plaintext-secret', 'clusters/stage/apps/shop/secrets/secret-leaky.yaml', 'stringData.token']]);
  });
});
