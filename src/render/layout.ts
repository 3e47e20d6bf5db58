import type { KubeObject } from '../model/kube-object';

/**
 * Where every generated file lives. The tree follows Flux's multi-cluster convention:
 *
 *   dist/bases/<service>/                 environment-neutral base of one service
 *   clusters/<cluster>/kustomization.yaml what flux bootstrap's Kustomization applies
 *   clusters/<cluster>/flux-system/       written by `flux bootstrap`, never touched
 *   clusters/<cluster>/infrastructure.yaml Flux Kustomizations: infra-controllers → infra-configs
 *   clusters/<cluster>/apps.yaml          Flux Kustomizations: apps-<namespace>, after infra
 *   clusters/<cluster>/infrastructure/configs/  namespaces, developer RBAC
 *   clusters/<cluster>/apps/<namespace>/  namespace kustomization (Flux: apps-<namespace>): sets the namespace, lists:
 *     <service>/                          that service's overlay: base + images, replicas, patches, extra objects
 *     secrets/                            the namespace's SealedSecrets or SOPS-encrypted Secrets
 *     <group>/                            an applyGroup (Flux: apps-<namespace>-<group>): sets the namespace, lists
 *       <service>/                        the overlays of the group's services
 */
export const DIST_DIR = 'dist';
export const CLUSTERS_DIR = 'clusters';
export const BASES_DIR = `${DIST_DIR}/bases`;

export function baseDir(service: string): string {
  return `${BASES_DIR}/${service}`;
}

export function clusterDir(cluster: string): string {
  return `${CLUSTERS_DIR}/${cluster}`;
}

/** The directory of a namespace's own apps unit, or of one of its applyGroups. */
export function appsDir(cluster: string, namespace: string, group?: string): string {
  return `${clusterDir(cluster)}/apps/${namespace}${group ? `/${group}` : ''}`;
}

export function serviceOverlayDir(cluster: string, namespace: string, service: string, group?: string): string {
  return `${appsDir(cluster, namespace, group)}/${service}`;
}

/** Services may not be called `secrets`: the name is the namespace's secrets directory. */
export const SECRETS_DIR_NAME = 'secrets';

export function secretsDir(cluster: string, namespace: string): string {
  return `${appsDir(cluster, namespace)}/${SECRETS_DIR_NAME}`;
}

export function infraConfigsDir(cluster: string): string {
  return `${clusterDir(cluster)}/infrastructure/configs`;
}

export function infraControllersDir(cluster: string): string {
  return `${clusterDir(cluster)}/infrastructure/controllers`;
}

/** `ServiceAccount` → `service-account`. */
export function kebabKind(kind: string): string {
  return kind.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

/** `deployment.yaml` for the service's own object, `configmap-flights-files.yaml` otherwise. */
export function objectFileName(obj: KubeObject, service?: string): string {
  const kind = kebabKind(obj.kind);
  return obj.metadata.name === service ? `${kind}.yaml` : `${kind}-${obj.metadata.name}.yaml`;
}

/** Relative path between two directories of the output tree (both relative to the root). */
export function relativeDir(from: string, to: string): string {
  const a = from.split('/');
  const b = to.split('/');
  let common = 0;
  while (common < a.length && common < b.length && a[common] === b[common]) common++;
  return [...a.slice(common).map(() => '..'), ...b.slice(common)].join('/');
}
