import { Construct } from 'constructs';
import type { ClusterSpec } from '../../model/cluster';
import { CHARTS } from '../../model/controller-versions';
import { INGRESS_CONTROLLER_NAMESPACE } from '../microservice/cluster-context';
import { ChartSource } from './chart-source';
import { ControllerNamespace } from './controller-namespace';
import { ControllerRelease, type ReleaseRef } from './helm-release';

export const ISTIO_NAMESPACE = INGRESS_CONTROLLER_NAMESPACE.istio;
/**
 * Release name of the ingress gateway; the chart labels its pods `istio: ingressgateway`, the
 * selector of the shared Gateway `istio-system/public-gateway` (rendered with the apps' routing).
 */
export const ISTIO_INGRESS_GATEWAY = 'istio-ingressgateway';
export const ISTIO_INGRESS_SELECTOR = { istio: 'ingressgateway' } as const;

export interface IstioBaseValues {
  readonly defaultRevision: string;
}

export interface IstioCniValues {
  /** Platform quirks (CNI paths) the chart knows; unset on EKS and generic clusters. */
  readonly global: { readonly platform?: 'gke' };
}

export interface IstiodValues {
  /** The CNI node agent redirects traffic, so sidecars need no NET_ADMIN init container. */
  readonly pilot: { readonly cni: { readonly enabled: true } };
  /** Sidecars expose app and Envoy metrics on one annotated port; Flagger's istio checks read them. */
  readonly meshConfig: { readonly enablePrometheusMerge: true };
  readonly global: { readonly platform?: 'gke' };
}

export interface IstioGatewayValues {
  readonly labels: Readonly<Record<string, string>>;
  readonly service: { readonly type: 'LoadBalancer'; readonly annotations: Readonly<Record<string, string>> };
}

export interface IstioProps {
  readonly provider: ClusterSpec['provider'];
  /** Annotations of the ingress gateway's LoadBalancer Service (an NLB on EKS). @default {} */
  readonly gatewayServiceAnnotations?: Readonly<Record<string, string>>;
  /** Releases the ingress gateway's Service needs first (the AWS Load Balancer Controller). @default [] */
  readonly gatewayDependsOn?: readonly ReleaseRef[];
  /** @default false */
  readonly argocd?: boolean;
}

/**
 * Istio with Helm, in the order its docs give: `base` (CRDs), `cni` (the node agent that lets
 * sidecar pods pass Pod Security `baseline`), `istiod`, then the ingress `gateway` that exposed
 * services and canaries are reached through.
 *
 * @see https://istio.io/latest/docs/setup/install/helm/
 * @see https://istio.io/latest/docs/setup/additional-setup/cni/
 */
export class Istio extends Construct {
  readonly base: ControllerRelease<IstioBaseValues>;
  readonly istiod: ControllerRelease<IstiodValues>;
  readonly gateway: ControllerRelease<IstioGatewayValues>;

  constructor(scope: Construct, id: string, props: IstioProps) {
    super(scope, id);
    const argocd = props.argocd;
    const platform = props.provider === 'gke' ? 'gke' : undefined;
    const namespace = new ControllerNamespace(this, 'Namespace', {
      name: ISTIO_NAMESPACE,
      podSecurity: { level: 'privileged', reason: 'the istio-cni node agent writes the CNI plugin to every node (hostPath) and runs privileged' },
      // No `istio-injection` label: the gateway chart's pods (image `auto`) are filled in by
      // istiod's injection webhook, which skips namespaces labelled `istio-injection=disabled`;
      // "the namespace the gateway is deployed in must not have the istio-injection=disabled
      // label" (istio/istio manifests/charts/gateway/README.md, "image: auto Information").
      // istiod and the CNI agent label their own pods `sidecar.istio.io/inject: "false"`, so
      // leaving the namespace unlabelled (opt-in) injects the gateway and nothing else.
      mesh: 'istio',
      meshMembership: 'opt-in',
      pruneProtection: { reason: "holds the mesh's root CA (istio-ca-secret); deleting it re-keys the mesh and breaks mTLS until every workload restarts" },
      argocd,
    }).name;
    const source = new ChartSource(this, 'Source', { namespace, pin: CHARTS['istio-base'] });
    this.base = new ControllerRelease(this, 'Base', {
      name: 'istio-base',
      namespace,
      pin: CHARTS['istio-base'],
      source,
      values: { defaultRevision: 'default' },
      pruneProtection: { reason: "the chart templates Istio's CRDs: uninstalling it deletes every VirtualService, DestinationRule, Gateway and policy in the cluster" },
      argocd,
    });
    const cni = new ControllerRelease(this, 'Cni', {
      name: 'istio-cni',
      namespace,
      pin: CHARTS['istio-cni'],
      source,
      values: { global: { platform } },
      dependsOn: [this.base.ref],
      argocd,
    });
    this.istiod = new ControllerRelease(this, 'Istiod', {
      name: 'istiod',
      namespace,
      pin: CHARTS.istiod,
      source,
      values: { pilot: { cni: { enabled: true } }, meshConfig: { enablePrometheusMerge: true }, global: { platform } },
      dependsOn: [this.base.ref, cni.ref],
      // istiod's webhooks must answer before it is Ready; first installs pull large images.
      timeout: '10m',
      argocd,
    });

    // The gateway runs in istio-system, where the shared Gateway's TLS credentials live
    // (istiod reads `credentialName` Secrets from the gateway workload's namespace) and where
    // NetworkPolicies expect the ingress (INGRESS_CONTROLLER_NAMESPACE.istio).
    this.gateway = new ControllerRelease(this, 'Gateway', {
      name: ISTIO_INGRESS_GATEWAY,
      namespace,
      pin: CHARTS['istio-gateway'],
      source,
      values: {
        labels: { ...ISTIO_INGRESS_SELECTOR },
        service: { type: 'LoadBalancer', annotations: { ...props.gatewayServiceAnnotations } },
      },
      dependsOn: [this.istiod.ref, ...(props.gatewayDependsOn ?? [])],
      argocd,
    });
  }
}
