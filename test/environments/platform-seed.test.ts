import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { fleet } from '../../src/environments';
import { platform } from '../../src/environments/platform';
import { CHARTS } from '../../src/model/controller-versions';
import type { FleetSpec, SystemSpec } from '../../src/model/fleet';
import { prepareFleetSecrets } from '../../src/render/secrets';
import { parseYamlDocuments } from '../../src/render/yaml';
import { creationRuleFor, parseSopsConfig } from '../../src/secrets/sops-config';
import { decryptSops } from '../../src/secrets/sops';
import { REPO, NOW, sampleIdentities } from '../secrets/fixtures';
import { keyEnv, sampleRoot } from '../secrets/sample-root';
import { renderOk } from '../support/render-to-dir';

// Decrypts the committed SOPS files with age: generous on a busy 2-core machine.
jest.setTimeout(120_000);

/**
 * Seed 004 (platform): the rendered objects carry the seed's values — node ports, RBAC names
 * per namespace, the `docker-hub` pull secret, the Hydra and Reaction secret keys encrypted for
 * each cluster, Hydra's ConfigMap, the stacks as pinned HelmReleases.
 */
const CLUSTERS = [
  { name: 'platform-staging', environment: 'staging', namespace: 'staging', domain: 'staging.domain.io' },
  { name: 'platform-dev', environment: 'development', namespace: 'dev', domain: 'dev.domain.io' },
] as const;

describe('platform (seed 004)', () => {
  const result = renderOk(fleet);
  const objectsOf = (cluster: string) => result.clusters.find((c) => c.spec.name === cluster)?.objects ?? [];
  const find = (cluster: string, kind: string, name: string, namespace?: string): any =>
    objectsOf(cluster).find((o) => o.kind === kind && o.metadata.name === name && (namespace === undefined || o.metadata.namespace === namespace));

  /** The committed per-cluster secret files Flux applies (`clusters/<cluster>/apps/<ns>/secrets/secret-<name>.yaml`). */
  function committedSecrets(cluster: string): { namespace: string; text: string; secret: any }[] {
    const apps = join(REPO, 'clusters', cluster, 'apps');
    return readdirSync(apps).flatMap((namespace) => {
      let files: string[];
      try {
        files = readdirSync(join(apps, namespace, 'secrets')).filter((f) => f.startsWith('secret-'));
      } catch {
        return [];
      }
      return files.map((file) => {
        const text = readFileSync(join(apps, namespace, 'secrets', file), 'utf8');
        return { namespace, text, secret: parseYamlDocuments(text)[0] };
      });
    });
  }

  it.each(CLUSTERS)("$name: the seed's account, region and node ports 30080/30443 on Traefik, no load balancer of its own", ({ name }) => {
    const spec = fleet.clusters.find((c) => c.name === name)!;
    expect(spec.aws).toMatchObject({ accountId: '773713188930', region: 'us-east-2' });
    const traefik = find(name, 'HelmRelease', 'traefik');
    expect(traefik.spec.values.service).toEqual({ annotations: {}, type: 'NodePort' });
    expect(traefik.spec.values.ports).toEqual({ web: { nodePort: 30080 }, websecure: { nodePort: 30443 } });
    // The ALB is the seed's CDK stack's: nothing in the cluster makes load balancers.
    expect(find(name, 'HelmRelease', 'aws-load-balancer-controller')).toBeUndefined();
  });

  it.each(CLUSTERS)("$name: k8s-developer-role/-rolebinding in the app namespace and monitoring, under the seed's names", ({ name, namespace }) => {
    for (const [ns, role, binding] of [
      [namespace, 'k8s-developer-role', 'k8s-developer-rolebinding'],
      ['monitoring', 'k8s-developer-role-monitoring', 'k8s-developer-rolebinding-monitoring'],
    ]) {
      expect(find(name, 'Role', role, ns)).toBeDefined();
      expect(find(name, 'RoleBinding', binding, ns).roleRef).toMatchObject({ kind: 'Role', name: role });
    }
    // `default` is the cluster's (converge/platform-namespace): the fleet renders nothing there.
    expect(objectsOf(name).filter((o) => o.metadata.namespace === 'default' || (o.kind === 'Namespace' && o.metadata.name === 'default'))).toEqual([]);
  });

  it.each(CLUSTERS)("$name: Docker Hub pull secret docker-hub in the app, monitoring and logging namespaces, listed by every pod", ({ name, namespace }) => {
    const pullSecrets = committedSecrets(name).filter((s) => s.secret.metadata.name === 'docker-hub');
    expect(pullSecrets.map((s) => s.namespace).sort()).toEqual(['logging', 'monitoring', 'observability', namespace].sort());
    for (const { secret } of pullSecrets) {
      expect(secret.type).toBe('kubernetes.io/dockerconfigjson');
      expect(secret.stringData['.dockerconfigjson']).toMatch(/^ENC\[AES256_GCM,/);
    }
    for (const service of ['hydra', 'reaction']) {
      expect(find(name, 'Deployment', service, namespace).spec.template.spec.imagePullSecrets).toEqual([{ name: 'docker-hub' }]);
    }
  });

  it.each(CLUSTERS)("$name: the Hydra and Reaction secrets under the seed's keys, encrypted for the cluster's age key", async ({ name, namespace }) => {
    const spec = fleet.clusters.find((c) => c.name === name)!;
    const expected: Record<string, string[]> = { hydra: ['DATABASE_URL', 'OIDC_SUBJECT_TYPE_PAIRWISE_SALT', 'SYSTEM_SECRET'], reaction: ['MONGO_OPLOG_URL', 'MONGO_URL'] };
    for (const [secretName, keys] of Object.entries(expected)) {
      const file = committedSecrets(name).find((s) => s.namespace === namespace && s.secret.metadata.name === secretName)!;
      expect(Object.keys(file.secret.stringData).sort()).toEqual(keys);
      for (const key of keys) expect(file.secret.stringData[key]).toMatch(/^ENC\[AES256_GCM,data:/);
      expect(file.secret.sops.age.map((a: { recipient: string }) => a.recipient)).toEqual([spec.secrets?.backend === 'sops' ? spec.secrets.ageRecipient : '']);
      // The cluster's (TEST ONLY) key opens it: what kustomize-controller does with Secret sops-age.
      const opened = await decryptSops(file.text, { identities: sampleIdentities(`cluster-${name}`) });
      expect(opened.ok && Object.keys(opened.value.data.stringData as object).sort()).toEqual(keys);
    }
  });

  it.each(CLUSTERS)('$name: Hydra reads the seed keys under its ≥ 1.0 names, with its per-environment ConfigMap', ({ name, namespace, domain }) => {
    const deployment = find(name, 'Deployment', 'hydra', namespace);
    const container = deployment.spec.template.spec.containers[0];
    const fromSecret = Object.fromEntries(container.env.map((e: any) => [e.name, e.valueFrom?.secretKeyRef]));
    expect(fromSecret).toMatchObject({
      DSN: { name: 'hydra', key: 'DATABASE_URL' },
      SECRETS_SYSTEM: { name: 'hydra', key: 'SYSTEM_SECRET' },
      OIDC_SUBJECT_IDENTIFIERS_PAIRWISE_SALT: { name: 'hydra', key: 'OIDC_SUBJECT_TYPE_PAIRWISE_SALT' },
    });
    expect(container.envFrom).toEqual([{ configMapRef: { name: 'hydra-config' } }]);
    expect(find(name, 'ConfigMap', 'hydra-config', namespace).data).toMatchObject({ URLS_SELF_ISSUER: `https://hydra.${domain}/`, URLS_LOGIN: `https://reaction.${domain}/account/login` });
    const reaction = find(name, 'Deployment', 'reaction', namespace).spec.template.spec.containers[0];
    expect(reaction.env.map((e: any) => [e.name, e.valueFrom?.secretKeyRef ?? e.value])).toEqual([
      ['MONGO_URL', { name: 'reaction', key: 'MONGO_URL' }],
      ['MONGO_OPLOG_URL', { name: 'reaction', key: 'MONGO_OPLOG_URL' }],
      ['HYDRA_OAUTH2_INTROSPECT_URL', 'http://hydra:4445/oauth2/introspect'],
    ]);
  });

  it.each(CLUSTERS)('$name: logging, monitoring and observability stacks as HelmReleases pinned in controller-versions', ({ name }) => {
    for (const [release, namespace, pin] of [
      ['kube-prometheus-stack', 'monitoring', CHARTS['kube-prometheus-stack']],
      ['fluent-bit', 'logging', CHARTS['fluent-bit']],
      ['jaeger', 'observability', CHARTS.jaeger],
    ] as const) {
      const helmRelease = find(name, 'HelmRelease', release, namespace);
      expect(helmRelease.spec.chart.spec).toMatchObject({ chart: pin.chart, version: pin.version });
      const repository = find(name, 'HelmRepository', helmRelease.spec.chart.spec.sourceRef.name, namespace);
      expect(repository.spec.url).toBe(pin.repository.url);
    }
  });

  it('.sops.yaml wraps the platform files for the KMS key of account 773713188930 next to the age recipient', () => {
    const rules = parseSopsConfig(readFileSync(join(REPO, '.sops.yaml'), 'utf8'), { file: '.sops.yaml' });
    if (!rules.ok) throw new Error('unparseable .sops.yaml');
    for (const { environment } of CLUSTERS) {
      for (const secret of ['docker-hub', 'hydra', 'reaction']) {
        const rule = creationRuleFor(rules.value, `secrets/${environment}/${secret}.sops.yaml`);
        expect(rule.ok && rule.value.kmsArns).toEqual([`arn:aws:kms:us-east-2:773713188930:alias/fleet-sops-${environment}`]);
        expect(rule.ok && rule.value.ageRecipients.length).toBe(1);
      }
      // Other files of the environment keep their age-only rule.
      const other = creationRuleFor(rules.value, `secrets/${environment}/dockerhub.sops.yaml`);
      expect(other.ok && other.value.kmsArns).toEqual([]);
    }
  });

  it('tells the operator to wrap the platform files for the KMS key (sops updatekeys), once per environment', async () => {
    const root = sampleRoot();
    const prepared = await prepareFleetSecrets(fleet, root, { env: keyEnv(root, false), out: REPO, now: NOW });
    const kms = prepared.problems.filter((p) => p.code === 'secrets/kms-not-wrapped');
    expect(kms.map((p) => [p.severity, p.place.environment])).toEqual([
      ['warning', 'staging'],
      ['warning', 'development'],
    ]);
    expect(kms[0].fix).toContain('sops updatekeys -y secrets/staging/docker-hub.sops.yaml secrets/staging/hydra.sops.yaml secrets/staging/reaction.sops.yaml');
  });

  it('fails synth when Hydra reads its secret under the ≥ 1.0 env name the seed never stored (SECRETS_SYSTEM)', async () => {
    const renamed: SystemSpec = {
      ...platform,
      services: platform.services.map((s) => (s.name === 'hydra' ? { ...s, env: { ...s.env, SECRETS_SYSTEM: { secret: { name: 'hydra', key: 'SECRETS_SYSTEM' } } } } : s)),
    };
    const variant: FleetSpec = { ...fleet, systems: fleet.systems.map((s) => (s.name === 'platform' ? renamed : s)) };
    const root = sampleRoot();
    const prepared = await prepareFleetSecrets(variant, root, { env: keyEnv(root, false), out: REPO, now: NOW });
    const missing = prepared.problems.filter((p) => p.code === 'secrets/missing-key');
    expect(missing.map((p) => p.place.cluster).sort()).toEqual(['platform-dev', 'platform-staging']);
    expect(missing[0].message).toContain('SECRETS_SYSTEM');
  });
});
