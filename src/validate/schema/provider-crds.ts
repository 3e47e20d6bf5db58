import type { ClusterSpec } from '../../model/cluster';
import type { KubeObject } from '../../model/kube-object';

/**
 * CRDs a managed Kubernetes provider installs on every cluster, outside Git, so their custom
 * resources are known kinds even though no rendered object or vendored file defines them.
 *
 * EKS: `eniconfigs.crd.k8s.amazonaws.com`, installed with the vpc-cni add-on (aws/amazon-vpc-cni-k8s
 * charts/aws-vpc-cni/crds/customresourcedefinition.yaml, transcribed). Upstream declares its
 * schema as `x-kubernetes-preserve-unknown-fields: true`, so the API server checks nothing
 * inside an ENIConfig; the model checks its subnet and security group ids instead
 * (`model/invalid-eni-config`, src/model/check-custom-networking.ts).
 */
const ENICONFIG_CRD: KubeObject = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'eniconfigs.crd.k8s.amazonaws.com' },
  spec: {
    scope: 'Cluster',
    group: 'crd.k8s.amazonaws.com',
    preserveUnknownFields: false,
    versions: [{ name: 'v1alpha1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
    names: { plural: 'eniconfigs', singular: 'eniconfig', kind: 'ENIConfig' },
  },
};

const PROVIDER_CRDS: Readonly<Record<ClusterSpec['provider'], readonly KubeObject[]>> = {
  eks: [ENICONFIG_CRD],
  gke: [],
  generic: [],
};

/** The CRDs the cluster's provider installs; none when the provider is unknown. */
export function providerCrds(provider: ClusterSpec['provider'] | undefined): readonly KubeObject[] {
  return provider ? PROVIDER_CRDS[provider] : [];
}
