/**
 * API versions the cluster's Kubernetes no longer serves. The generated validators know every
 * version that ever existed (kubernetes-models keeps `extensions/v1beta1`), so a removed version
 * passes the schema check yet fails `kubectl apply`; this table closes that gap, per cluster.
 *
 * @see https://kubernetes.io/docs/reference/using-api/deprecation-guide/
 */

interface Removal {
  /** Minor version of Kubernetes 1.x that stopped serving it. */
  readonly removedIn: number;
  /** Kinds this entry covers; every kind of the group version when absent. */
  readonly kinds?: readonly string[];
  readonly replacement: string;
}

const REMOVED: Readonly<Record<string, readonly Removal[]>> = {
  'extensions/v1beta1': [
    { removedIn: 16, kinds: ['Deployment', 'DaemonSet', 'ReplicaSet'], replacement: 'apps/v1' },
    { removedIn: 16, kinds: ['NetworkPolicy'], replacement: 'networking.k8s.io/v1' },
    { removedIn: 16, kinds: ['PodSecurityPolicy'], replacement: 'Pod Security Admission (no replacement kind)' },
    { removedIn: 22, kinds: ['Ingress'], replacement: 'networking.k8s.io/v1' },
  ],
  'apps/v1beta1': [{ removedIn: 16, replacement: 'apps/v1' }],
  'apps/v1beta2': [{ removedIn: 16, replacement: 'apps/v1' }],
  'networking.k8s.io/v1beta1': [{ removedIn: 22, replacement: 'networking.k8s.io/v1' }],
  'rbac.authorization.k8s.io/v1beta1': [{ removedIn: 22, replacement: 'rbac.authorization.k8s.io/v1' }],
  'admissionregistration.k8s.io/v1beta1': [{ removedIn: 22, replacement: 'admissionregistration.k8s.io/v1' }],
  'apiextensions.k8s.io/v1beta1': [{ removedIn: 22, replacement: 'apiextensions.k8s.io/v1' }],
  'apiregistration.k8s.io/v1beta1': [{ removedIn: 22, replacement: 'apiregistration.k8s.io/v1' }],
  'certificates.k8s.io/v1beta1': [{ removedIn: 22, replacement: 'certificates.k8s.io/v1' }],
  'coordination.k8s.io/v1beta1': [{ removedIn: 22, replacement: 'coordination.k8s.io/v1' }],
  'scheduling.k8s.io/v1beta1': [{ removedIn: 22, replacement: 'scheduling.k8s.io/v1' }],
  'storage.k8s.io/v1beta1': [
    { removedIn: 22, kinds: ['CSIDriver', 'CSINode', 'StorageClass', 'VolumeAttachment'], replacement: 'storage.k8s.io/v1' },
    { removedIn: 27, kinds: ['CSIStorageCapacity'], replacement: 'storage.k8s.io/v1' },
  ],
  'batch/v1beta1': [{ removedIn: 25, replacement: 'batch/v1' }],
  'policy/v1beta1': [
    { removedIn: 25, kinds: ['PodDisruptionBudget'], replacement: 'policy/v1' },
    { removedIn: 25, kinds: ['PodSecurityPolicy'], replacement: 'Pod Security Admission (no replacement kind)' },
  ],
  'autoscaling/v2beta1': [{ removedIn: 25, replacement: 'autoscaling/v2' }],
  'autoscaling/v2beta2': [{ removedIn: 26, replacement: 'autoscaling/v2' }],
  'discovery.k8s.io/v1beta1': [{ removedIn: 25, replacement: 'discovery.k8s.io/v1' }],
  'events.k8s.io/v1beta1': [{ removedIn: 25, replacement: 'events.k8s.io/v1' }],
  'node.k8s.io/v1beta1': [{ removedIn: 25, replacement: 'node.k8s.io/v1' }],
  'flowcontrol.apiserver.k8s.io/v1beta1': [{ removedIn: 26, replacement: 'flowcontrol.apiserver.k8s.io/v1' }],
  'flowcontrol.apiserver.k8s.io/v1beta2': [{ removedIn: 29, replacement: 'flowcontrol.apiserver.k8s.io/v1' }],
  'flowcontrol.apiserver.k8s.io/v1beta3': [{ removedIn: 32, replacement: 'flowcontrol.apiserver.k8s.io/v1' }],
};

export interface RemovedApi {
  readonly removedIn: string;
  readonly replacement: string;
}

/** Minor version number of `1.31`, `v1.31.2` or `1.31.0-eks`; undefined when unparseable. */
export function minorVersion(kubernetesVersion: string): number | undefined {
  const match = /^v?1\.(\d+)/.exec(kubernetesVersion.trim());
  return match ? Number(match[1]) : undefined;
}

/** The removal that applies to this kind on this Kubernetes version, if any. */
export function removedApi(apiVersion: string, kind: string, kubernetesVersion: string): RemovedApi | undefined {
  const minor = minorVersion(kubernetesVersion);
  if (minor === undefined) return undefined;
  const removal = (REMOVED[apiVersion] ?? []).find((r) => (!r.kinds || r.kinds.includes(kind)) && minor >= r.removedIn);
  return removal && { removedIn: `1.${removal.removedIn}`, replacement: removal.replacement };
}
