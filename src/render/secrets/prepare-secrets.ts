import { join } from 'node:path';
import type { ClusterSpec } from '../../model/cluster';
import type { FleetSpec } from '../../model/fleet';
import type { KubeObject } from '../../model/kube-object';
import { error, warning, type Problem } from '../../model/problem';
import { isTestOnlyCertificate, isTestOnlyRecipient, kmsCoverageProblems, loadSealingCertificate, readFileIfExists, sealSecret, sourceContentProblems, type SealingCertificate, type SecretSource } from '../../secrets';
import type { ClusterSecrets } from '../cluster';
import { previousSecretPath, readPreviousObject, readPreviousText } from './previous-output';
import { DOCKER_CONFIG_JSON_TYPE, neededSecrets, secretReferences, type NeededSecret, type SecretReference } from './secret-references';
import { SecretSources } from './secret-sources';
import { listSecretSources, secretSourcePath } from './source-layout';
import { sopsClusterSecret } from './sops-cluster-secret';

/**
 * The secrets stage of synth, run before the (synchronous) render: for every cluster, the
 * secret objects its namespaces need, made from the SOPS sources in `secrets/<environment>/`
 * with the cluster's backend —
 *   sealed-secrets: a Bitnami SealedSecret per namespace, strict scope, sealed with the
 *     cluster's committed certificate (`secrets.certificate`);
 *   sops: a Secret per namespace encrypted for the cluster's `secrets.ageRecipient`, and SOPS
 *     decryption on the cluster's apps Kustomizations.
 * Committed objects are reused byte for byte while their sources are unchanged, so CI renders
 * without any key; a changed source without a key is `secrets/changed-without-key`.
 */
export interface PrepareSecretsOptions {
  /** age identities (`AGE-SECRET-KEY-1…`) that may open the sources; empty in CI. */
  readonly identities: readonly string[];
  /** Prepare only these clusters. @default - every cluster */
  readonly clusters?: readonly string[];
  /** Root of the output tree holding the previously committed clusters/. @default - `root` */
  readonly out?: string;
  /** Clusters whose secrets are sealed or encrypted anew, ignoring committed output. @default - none */
  readonly reseal?: readonly string[];
  /** Time the sealing certificates must be valid at; injected by tests. @default - the system clock */
  readonly now?: Date;
}

export interface PreparedSecrets {
  /** Per cluster name, for `RenderOptions.secrets`. */
  readonly secrets: ReadonlyMap<string, ClusterSecrets>;
  readonly problems: readonly Problem[];
  /** Secret objects prepared, and how many of them were sealed or encrypted anew (not reused). */
  readonly stats: { readonly objects: number; readonly renewed: number };
}

export async function prepareSecrets(fleet: FleetSpec, root: string, options: PrepareSecretsOptions): Promise<PreparedSecrets> {
  const sources = new SecretSources(root, options.identities);
  const secrets = new Map<string, ClusterSecrets>();
  const problems: Problem[] = [];
  let renewed = 0;
  const clusters = fleet.clusters.filter((c) => !options.clusters || options.clusters.includes(c.name));
  // Every source of those environments is read, used or not: a damaged one (a corrupted age
  // stanza, a plain value) is found now, not when the next key holder opens it.
  const sopsConfig = readFileIfExists(join(root, '.sops.yaml'));
  for (const environment of new Set(clusters.map((c) => c.environment))) {
    const files: { path: string; text: string }[] = [];
    for (const secret of listSecretSources(root, environment)) {
      const state = await sources.get(environment, secret);
      if (state.found) problems.push(...state.problems);
      const path = secretSourcePath(environment, secret);
      const text = readFileIfExists(join(root, path));
      if (text !== undefined) files.push({ path, text });
    }
    // Files .sops.yaml wants wrapped for AWS KMS, which only AWS can do (see kms-coverage.ts).
    problems.push(...kmsCoverageProblems(sopsConfig, environment, files));
  }
  for (const cluster of clusters) {
    const prepared = await prepareCluster(fleet, cluster, sources, root, options);
    problems.push(...prepared.problems);
    renewed += prepared.renewed;
    if (prepared.secrets) secrets.set(cluster.name, prepared.secrets);
  }
  const objects = [...secrets.values()].reduce((sum, s) => sum + s.objects.length, 0);
  return { secrets, problems: dedupe(problems), stats: { objects, renewed } };
}

interface PreparedCluster {
  readonly secrets?: ClusterSecrets;
  readonly problems: readonly Problem[];
  readonly renewed: number;
}

async function prepareCluster(fleet: FleetSpec, cluster: ClusterSpec, sources: SecretSources, root: string, options: PrepareSecretsOptions): Promise<PreparedCluster> {
  const references = secretReferences(fleet, cluster);
  const backend = cluster.secrets;
  if (!backend) return { problems: references.map((ref) => noBackend(cluster, ref)), renewed: 0 };

  // Reseal: forget the committed objects, so every value is sealed or encrypted again.
  const out = options.reseal?.includes(cluster.name) ? undefined : (options.out ?? root);
  let deliver: (needed: NeededSecret, source: SecretSource) => Promise<MadeObject>;
  // What of the repository's TEST-ONLY key material the cluster relies on (warned once, below).
  const testOnly: string[] = [];
  if (backend.backend === 'sealed-secrets') {
    // Checked even when nothing needs sealing: an expired certificate is a problem either way.
    const readFile = (path: string) => readFileIfExists(join(root, path));
    const loaded = loadSealingCertificate(backend.certificate, { readFile, now: options.now, cluster: cluster.name });
    if (!loaded.ok) return { problems: loaded.problems, renewed: 0 };
    if (isTestOnlyCertificate(readFile(backend.certificate) ?? '', loaded.value.fingerprint)) testOnly.push(`sealing certificate ${backend.certificate}`);
    deliver = async (needed, source) => sealFor(cluster, needed, source, loaded.value, out);
  } else {
    const recipient = backend.ageRecipient;
    if (isTestOnlyRecipient(recipient)) testOnly.push(`age recipient ${recipient.trim()}`);
    deliver = (needed, source) => encryptFor(cluster, needed, source, recipient, out);
  }

  const objects: KubeObject[] = [];
  const problems: Problem[] = [];
  const sourceRecipients = new Set<string>();
  let renewed = 0;
  for (const needed of neededSecrets(references)) {
    const state = await sources.get(cluster.environment, needed.secret);
    if (!state.found) {
      problems.push(...needed.references.map((ref) => missingSecret(ref, state.file)));
      continue;
    }
    if (!state.source) {
      problems.push(...state.problems);
      continue;
    }
    const usage = [...sourceContentProblems(state.source), ...checkUsage(needed, state.source, state.file)];
    problems.push(...usage);
    if (usage.some((p) => p.severity === 'error')) continue;
    for (const recipient of state.source.recipients ?? []) if (isTestOnlyRecipient(recipient)) sourceRecipients.add(recipient);
    const made = await deliver(needed, state.source);
    problems.push(...made.problems);
    if (made.object) objects.push(made.object);
    if (made.renewed) renewed++;
  }
  if (sourceRecipients.size > 0) testOnly.push(`${cluster.environment} secrets encrypted for age recipient ${[...sourceRecipients].sort().join(', ')}`);
  if (testOnly.length > 0) problems.push(testOnlyWarning(cluster, backend.backend === 'sealed-secrets' ? 'secrets.certificate' : 'secrets.ageRecipient', testOnly));
  return { secrets: { objects, sopsDecryption: backend.backend === 'sops' }, problems, renewed };
}

/** The cluster's secrets are protected by keys whose private halves are committed for tests. */
function testOnlyWarning(cluster: ClusterSpec, field: string, what: readonly string[]): Problem {
  return warning(
    'secrets/test-only-key',
    { cluster: cluster.name, environment: cluster.environment, field, definition: cluster.definition },
    `cluster ${cluster.name} still uses the repository's TEST-ONLY key material (${what.join('; ')}): its private keys are committed, so these secrets protect nothing`,
    'fetch the cluster\'s own certificate (`kubeseal --fetch-cert`) or generate its age key (`age-keygen`), put the environment keys in .sops.yaml, run `npm run secrets -- rotate` and reseal',
  );
}

interface MadeObject {
  readonly object?: KubeObject;
  readonly renewed: boolean;
  readonly problems: readonly Problem[];
}

function sealFor(cluster: ClusterSpec, needed: NeededSecret, source: SecretSource, certificate: SealingCertificate, out: string | undefined): MadeObject {
  const { namespace, secret: name } = needed;
  const previous = out === undefined ? undefined : readPreviousObject(out, previousSecretPath(cluster.name, namespace, 'SealedSecret', name), namespace);
  const sealed = sealSecret({ name, namespace, source, certificate, previous, cluster: cluster.name });
  return { object: sealed.object, renewed: sealed.object !== undefined && sealed.object !== previous, problems: sealed.problems };
}

async function encryptFor(cluster: ClusterSpec, needed: NeededSecret, source: SecretSource, recipient: string, out: string | undefined): Promise<MadeObject> {
  const { namespace, secret: name } = needed;
  const file = previousSecretPath(cluster.name, namespace, 'Secret', name);
  const previous = out === undefined ? undefined : readPreviousText(out, file);
  return sopsClusterSecret({ name, namespace, source, recipients: [recipient], previous, cluster: cluster.name, file });
}

/** Every referenced key exists, and pull secrets have the registry-credentials type. */
function checkUsage(needed: NeededSecret, source: SecretSource, file: string): Problem[] {
  const keys = source.entries.map((entry) => entry.key);
  const problems: Problem[] = [];
  for (const ref of needed.references) {
    if (ref.pullSecret && source.type !== DOCKER_CONFIG_JSON_TYPE) {
      problems.push(
        error(
          'secrets/not-a-pull-secret',
          placeOf(ref),
          `${ref.service} pulls its image with secret "${ref.secret}", but ${file} has type "${source.type ?? 'Opaque'}", which the kubelet ignores for image pulls`,
          `set \`type: ${DOCKER_CONFIG_JSON_TYPE}\` with key ".dockerconfigjson" in ${file}, or remove "${ref.secret}" from ${ref.field}`,
        ),
      );
    } else if (ref.key !== undefined && !keys.includes(ref.key)) {
      problems.push(
        error(
          'secrets/missing-key',
          placeOf(ref),
          `${ref.service} ${usage(ref)} key "${ref.key}" of secret "${ref.secret}", which has ${keys.length > 0 ? `only ${keys.map((k) => `"${k}"`).join(', ')}` : 'no keys'} (${file})`,
          `add it with \`npm run secrets -- set ${ref.environment} ${ref.secret} ${ref.key}\` (the value is read from stdin or a prompt), or fix ${ref.field}`,
        ),
      );
    }
  }
  return problems;
}

function missingSecret(ref: SecretReference, file: string): Problem {
  const key = ref.key === undefined || ref.pullSecret ? '' : ` key "${ref.key}" of`;
  return error(
    'secrets/missing-secret',
    placeOf(ref),
    `${ref.service} ${usage(ref)}${key} secret "${ref.secret}", but ${file} does not exist`,
    `create it with \`npm run secrets -- set ${ref.environment} ${ref.secret} ${ref.key ?? '<key>'}\` (the value is read from stdin or a prompt), or fix the name in ${ref.field}`,
  );
}

function noBackend(cluster: ClusterSpec, ref: SecretReference): Problem {
  return error(
    'secrets/no-backend',
    { ...placeOf(ref), definition: cluster.definition ?? ref.definition },
    `${ref.service} ${usage(ref)} secret "${ref.secret}", but cluster ${cluster.name} has no secrets backend to deliver it`,
    `set secrets: { backend: 'sealed-secrets', certificate: 'secrets/clusters/${cluster.name}/sealed-secrets-cert.pem' } or { backend: 'sops', ageRecipient: 'age1…' } on cluster ${cluster.name}`,
  );
}

function usage(ref: SecretReference): string {
  if (ref.pullSecret) return 'pulls its image with';
  if (ref.field.startsWith('secretFiles')) return 'mounts';
  return 'reads';
}

function placeOf(ref: SecretReference) {
  return { cluster: ref.cluster, environment: ref.environment, namespace: ref.namespace, service: ref.service, field: ref.field, definition: ref.definition };
}

/** A source problem is reported once, however many namespaces and clusters use the source. */
function dedupe(problems: readonly Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const id = JSON.stringify([p.code, p.place.definition ?? p.place.cluster, p.place.service, p.place.namespace, p.place.field, p.message]);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
