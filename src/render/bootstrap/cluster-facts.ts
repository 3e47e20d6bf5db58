import { BOOTSTRAP_SOURCE_NAME, FLUX_NAMESPACE } from '../../charts/flux/git-source';
import { IRSA_ROLE_ANNOTATION } from '../../charts/infrastructure/irsa-service-account';
import { ALB_READINESS_GATE_LABEL } from '../../charts/platform/namespace';
import type { KubeObject } from '../../model/kube-object';
import type { RenderedCluster } from '../cluster';
import { argoCdDir } from '../argocd';

/**
 * What the bootstrap guide needs to know about one rendered cluster, read from the rendered
 * objects themselves (never from what the renderer meant to write): the guide then says what
 * Flux and Argo CD will actually apply, whichever code computed it.
 */
export interface ClusterFacts {
  /** Flux Kustomizations of the entry files, parents before children (dependsOn order). */
  readonly kustomizations: readonly FluxKustomizationFact[];
  /** HelmReleases Flux installs (`namespace/name`), in render order. */
  readonly helmReleases: readonly string[];
  /** ServiceAccounts bound to an AWS IAM role (IRSA). */
  readonly irsaRoles: readonly ServiceAccountBinding[];
  /** ServiceAccounts bound to a Google service account (GKE Workload Identity). */
  readonly workloadIdentities: readonly ServiceAccountBinding[];
  /** Namespaces labelled for the AWS Load Balancer Controller's pod readiness gates. */
  readonly readinessGateNamespaces: readonly string[];
  /** StorageClasses rendered HelmReleases claim volumes with (`undefined`: the cluster's default class). */
  readonly volumeClaims: readonly { readonly release: string; readonly storageClass: string | undefined }[];
  /** Objects to watch converge, by kind (`namespace/name`). */
  readonly canaries: readonly string[];
  readonly rollouts: readonly string[];
  readonly sealedSecrets: readonly string[];
  readonly eniConfigs: readonly string[];
  /** Namespaces the fleet renders, each with the Flux Kustomization that creates it. */
  readonly namespaces: ReadonlyMap<string, string>;
  /** Secrets the render delivers (`namespace/name`), as Secret or SealedSecret. */
  readonly deliveredSecrets: ReadonlySet<string>;
  /**
   * Secrets Flux objects of `flux-system` read (`spec.secretRef`: a push source, a registry, a
   * notification provider) that nothing rendered delivers; bootstrap's own `flux-system` excluded.
   */
  readonly fluxSecretRefs: readonly FluxSecretRef[];
  /** The Argo CD objects applied once by hand (`clusters/<cluster>/argocd/`) and the children their parent applies. */
  readonly argocd: { readonly bootstrap: readonly KubeObject[]; readonly applications: readonly KubeObject[] };
}

export interface FluxKustomizationFact {
  readonly name: string;
  readonly path: string;
  readonly dependsOn: readonly string[];
  /** Kinds given a CEL health check (`healthCheckExprs`): the Kustomization waits for them. */
  readonly healthChecks: readonly string[];
  /** Secret in flux-system the Kustomization decrypts SOPS with. */
  readonly decryptionSecret?: string;
  /** `wait: true`: Ready only once every object it applies is healthy. */
  readonly wait: boolean;
  readonly timeout?: string;
}

export interface FluxSecretRef {
  readonly kind: string;
  readonly object: string;
  readonly secret: string;
  /** `spec.url` (GitRepository, Provider) or `spec.image` (ImageRepository), when set. */
  readonly target?: string;
}

export interface ServiceAccountBinding {
  readonly namespace: string;
  readonly serviceAccount: string;
  /** The IAM role ARN, or the Google service account e-mail. */
  readonly identity: string;
}

const isKind = (obj: KubeObject, group: string, kind: string) => obj.kind === kind && obj.apiVersion.split('/')[0] === group;
const ref = (obj: KubeObject) => `${obj.metadata.namespace ?? ''}/${obj.metadata.name}`;
const sortedUnique = (values: readonly string[]) => [...new Set(values)].sort();

function kustomizationFact(obj: KubeObject): FluxKustomizationFact {
  const spec = obj.spec as {
    path: string;
    dependsOn?: { name: string }[];
    healthCheckExprs?: { kind: string }[];
    decryption?: { secretRef?: { name: string } };
    wait?: boolean;
    timeout?: string;
  };
  return {
    name: obj.metadata.name,
    path: spec.path.replace(/^\.\//, ''),
    dependsOn: (spec.dependsOn ?? []).map((d) => d.name),
    healthChecks: (spec.healthCheckExprs ?? []).map((check) => check.kind),
    decryptionSecret: spec.decryption?.secretRef?.name,
    wait: spec.wait === true,
    timeout: spec.timeout,
  };
}

/**
 * Kustomizations in dependsOn order: each after every one it depends on, otherwise in render
 * order (a stable topological sort; a dependency outside the list, or a cycle, which the
 * renderer's checks refuse, leaves the rest in render order).
 */
export function inDependencyOrder(kustomizations: readonly FluxKustomizationFact[]): FluxKustomizationFact[] {
  const names = new Set(kustomizations.map((k) => k.name));
  const done = new Set<string>();
  const ordered: FluxKustomizationFact[] = [];
  let pending = [...kustomizations];
  while (pending.length > 0) {
    const ready = pending.filter((k) => k.dependsOn.every((d) => done.has(d) || !names.has(d)));
    const next = ready.length > 0 ? ready : pending;
    for (const k of next) done.add(k.name);
    ordered.push(...next);
    pending = pending.filter((k) => !next.includes(k));
  }
  return ordered;
}

function serviceAccountBindings(objects: readonly KubeObject[], annotation: string): ServiceAccountBinding[] {
  return objects
    .filter((obj) => obj.kind === 'ServiceAccount' && obj.metadata.annotations?.[annotation])
    .map((obj) => ({ namespace: obj.metadata.namespace ?? 'default', serviceAccount: obj.metadata.name, identity: obj.metadata.annotations![annotation] }))
    .sort((a, b) => `${a.namespace}/${a.serviceAccount}`.localeCompare(`${b.namespace}/${b.serviceAccount}`));
}

/** `persistentVolume: { enabled: true, storageClass? }` anywhere in a HelmRelease's values. */
function persistentVolumes(values: unknown): { storageClass: string | undefined }[] {
  if (typeof values !== 'object' || values === null) return [];
  const found: { storageClass: string | undefined }[] = [];
  for (const [key, value] of Object.entries(values)) {
    const volume = value as { enabled?: boolean; storageClass?: string };
    if (key === 'persistentVolume' && typeof value === 'object' && value !== null && volume.enabled === true) found.push({ storageClass: volume.storageClass || undefined });
    else found.push(...persistentVolumes(value));
  }
  return found;
}

function undeliveredFluxSecrets(objects: readonly KubeObject[], delivered: ReadonlySet<string>): FluxSecretRef[] {
  return objects.flatMap((obj) => {
    const spec = obj.spec as { secretRef?: { name?: string }; url?: string; image?: string } | undefined;
    const secret = spec?.secretRef?.name;
    const fluxObject = obj.apiVersion.split('/')[0].endsWith('.toolkit.fluxcd.io');
    if (!fluxObject || obj.metadata.namespace !== FLUX_NAMESPACE || !secret || secret === BOOTSTRAP_SOURCE_NAME || delivered.has(`${FLUX_NAMESPACE}/${secret}`)) return [];
    return [{ kind: obj.kind, object: obj.metadata.name, secret, target: spec?.url ?? spec?.image }];
  });
}

/** Namespace → the entry Kustomization whose path applies it. */
function namespaceCreators(cluster: RenderedCluster): Map<string, string> {
  const byPath = new Map(cluster.flux.entry.filter((obj) => isKind(obj, 'kustomize.toolkit.fluxcd.io', 'Kustomization')).map((k) => [(k.spec as { path: string }).path.replace(/^\.\//, ''), k.metadata.name]));
  const creators = new Map<string, string>();
  for (const [path, built] of cluster.flux.builds) {
    const kustomization = byPath.get(path);
    if (!kustomization) continue;
    for (const obj of built) if (obj.kind === 'Namespace' && !creators.has(obj.metadata.name)) creators.set(obj.metadata.name, kustomization);
  }
  return creators;
}

/** Reads the facts off a rendered cluster (its Flux objects and its Argo CD files). */
export function clusterFacts(cluster: RenderedCluster): ClusterFacts {
  const objects = cluster.objects;
  const delivered = new Set(objects.filter((obj) => obj.kind === 'Secret' || isKind(obj, 'bitnami.com', 'SealedSecret')).map(ref));
  const helmReleases = objects.filter((obj) => isKind(obj, 'helm.toolkit.fluxcd.io', 'HelmRelease'));
  const argoFiles = [...cluster.files].filter(([path]) => path.startsWith(`${argoCdDir(cluster.spec.name)}/`) && !path.endsWith('/kustomization.yaml'));
  const argoObjects = (inApplications: boolean) =>
    argoFiles.filter(([path]) => path.startsWith(`${argoCdDir(cluster.spec.name)}/applications/`) === inApplications).flatMap(([, file]) => file.documents as KubeObject[]);
  return {
    kustomizations: inDependencyOrder(cluster.flux.entry.filter((obj) => isKind(obj, 'kustomize.toolkit.fluxcd.io', 'Kustomization')).map(kustomizationFact)),
    helmReleases: helmReleases.map(ref),
    irsaRoles: serviceAccountBindings(objects, IRSA_ROLE_ANNOTATION),
    workloadIdentities: serviceAccountBindings(objects, 'iam.gke.io/gcp-service-account'),
    readinessGateNamespaces: sortedUnique(objects.filter((obj) => obj.kind === 'Namespace' && obj.metadata.labels?.[ALB_READINESS_GATE_LABEL] === 'enabled').map((obj) => obj.metadata.name)),
    volumeClaims: helmReleases.flatMap((release) => persistentVolumes((release.spec as { values?: unknown }).values).map((volume) => ({ release: ref(release), ...volume }))),
    canaries: sortedUnique(objects.filter((obj) => isKind(obj, 'flagger.app', 'Canary')).map(ref)),
    rollouts: sortedUnique(objects.filter((obj) => isKind(obj, 'argoproj.io', 'Rollout')).map(ref)),
    sealedSecrets: sortedUnique(objects.filter((obj) => isKind(obj, 'bitnami.com', 'SealedSecret')).map(ref)),
    eniConfigs: sortedUnique(objects.filter((obj) => obj.kind === 'ENIConfig').map((obj) => obj.metadata.name)),
    namespaces: namespaceCreators(cluster),
    deliveredSecrets: delivered,
    fluxSecretRefs: undeliveredFluxSecrets(objects, delivered),
    argocd: { bootstrap: argoObjects(false), applications: argoObjects(true) },
  };
}
