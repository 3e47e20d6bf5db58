/**
 * Volumes of a service's pod and where each container mounts them. Secret volumes are delivered
 * like every other secret the service uses (from `secrets/<environment>/<name>.sops.yaml`).
 * @see https://kubernetes.io/docs/concepts/storage/volumes/
 */

/** A key of a ConfigMap or Secret projected as a file. */
export interface KeyToPathSpec {
  readonly key: string;
  /** Relative file path. @default - the key */
  readonly path?: string;
}

export interface ServiceAccountTokenProjection {
  /** Relative file path of the token. */
  readonly path: string;
  /** @default - the API server's audience */
  readonly audience?: string;
  /** @default - not rendered, so Kubernetes' 3600 */
  readonly expirationSeconds?: number;
}

/** One source of a projected volume. Only one field is set. */
export type ProjectedSourceSpec =
  | { readonly configMap: { readonly name: string; readonly items?: readonly KeyToPathSpec[] } }
  | { readonly secret: { readonly name: string; readonly items?: readonly KeyToPathSpec[] } }
  | { readonly serviceAccountToken: ServiceAccountTokenProjection }
  | { readonly downwardAPI: { readonly items: readonly { readonly path: string; readonly fieldPath: string }[] } };

/** A pod volume. Only one field is set. */
export type VolumeSpec =
  /** Scratch space living as long as the pod. `medium: 'Memory'` is a tmpfs counted as container memory. */
  | { readonly emptyDir: { readonly sizeLimit?: string; readonly medium?: 'Memory' } }
  /** An existing PersistentVolumeClaim in the service's namespace. */
  | { readonly persistentVolumeClaim: { readonly claimName: string; readonly readOnly?: boolean } }
  /** A ConfigMap of the namespace as files (the service's own `configFiles` need no volume). */
  | { readonly configMap: { readonly name: string; readonly items?: readonly KeyToPathSpec[] } }
  /** A Secret as files; `secretFiles` is the shorthand for a secret mounted in the main container. */
  | { readonly secret: { readonly name: string; readonly items?: readonly KeyToPathSpec[] } }
  /** Several sources in one directory. */
  | { readonly projected: { readonly sources: readonly ProjectedSourceSpec[] } };

export interface VolumeMountSpec {
  /** Name of a volume in the service's `volumes`. */
  readonly volume: string;
  readonly mountPath: string;
  /** Mount one file or directory of the volume. @default - the whole volume */
  readonly subPath?: string;
  /** @default - true for configMap, secret and projected volumes, false otherwise */
  readonly readOnly?: boolean;
}

/** Names the generator gives its own volumes; a service's volumes may not use them. */
export const GENERATED_VOLUME_NAMES: readonly string[] = ['tmp', 'files'];
export const GENERATED_VOLUME_PREFIX = 'secret-';

/** Volume kinds whose content the pod cannot change: mounted read-only unless the mount says otherwise. */
export function isReadOnlyVolume(volume: VolumeSpec): boolean {
  return 'configMap' in volume || 'secret' in volume || 'projected' in volume;
}
