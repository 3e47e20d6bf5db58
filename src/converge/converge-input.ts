import type { KubeObject } from '../model/kube-object';
import type { Labels } from './cluster-state';

/** What the converge layer needs about one cluster: its rendered objects and the platform around them. */

/** A `calls` edge of the model: the caller's pods must reach the callee's on each port. */
export interface CallEdge {
  readonly caller: { readonly namespace: string; readonly name: string };
  readonly callee: { readonly namespace: string; readonly name: string };
  /** Service ports of the callee the caller uses. */
  readonly ports: readonly number[];
}

/** Where the ingress data plane's pods are. */
export type DataPlaneSpec =
  /** Pods of a HelmRelease of this chart among the rendered objects (Traefik, Istio's gateway, ingress-nginx). */
  | { readonly kind: 'chart'; readonly chart: string }
  /** Traffic from outside the cluster network (an ALB sending to pod IPs from the VPC). */
  | { readonly kind: 'external'; readonly description: string }
  /** Pods the platform runs in a namespace (a preinstalled Gateway API implementation). */
  | { readonly kind: 'platform'; readonly namespace: string; readonly labels: Labels; readonly description: string };

export interface ArgoCdBuilds {
  readonly bootstrap: readonly KubeObject[];
  readonly builds: ReadonlyMap<string, readonly KubeObject[]>;
}

export interface ConvergeInput {
  readonly cluster: string;
  /** Objects flux bootstrap's Kustomization applies from `clusters/<cluster>/` (sources, Flux Kustomizations). */
  readonly entry: readonly KubeObject[];
  /** What each Flux Kustomization path builds to, keyed by the path without `./`. */
  readonly builds: ReadonlyMap<string, readonly KubeObject[]>;
  /** @default [] */
  readonly calls?: readonly CallEdge[];
  /** @default - no ingress data plane checked */
  readonly ingressDataPlane?: DataPlaneSpec;
  /** Secrets (`namespace/name`) the platform creates before Flux applies anything. @default [] */
  readonly platformSecrets?: readonly string[];
  /**
   * The Argo CD flavour: objects applied once by hand (`clusters/<cluster>/argocd/`: the
   * app-of-apps parent, argocd-cm) and the builds of paths only Argo CD applies that `builds`
   * does not hold (the parent's directory of child Applications), keyed like `builds`.
   * @default - no Argo CD
   */
  readonly argoCd?: ArgoCdBuilds;
  /** Where the problem's `definition` points (the file defining the cluster). @default - none */
  readonly definition?: string;
}

/** Every object Flux applies to the cluster: the entry objects, then each path's build. */
export function allObjects(input: ConvergeInput): KubeObject[] {
  return [...input.entry, ...[...input.builds.values()].flat(), ...(input.argoCd?.bootstrap ?? []), ...[...(input.argoCd?.builds.values() ?? [])].flat()];
}
