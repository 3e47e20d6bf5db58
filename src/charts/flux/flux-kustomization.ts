import { Construct } from 'constructs';
import {
  Kustomization,
  KustomizationSpecSourceRefKind,
  type KustomizationSpecDecryption,
  type KustomizationSpecHealthCheckExprs,
} from '../../../imports/flux-kustomization-kustomize.toolkit.fluxcd.io';
import { MANAGED_BY, MANAGED_BY_LABEL } from '../labels';
import { BOOTSTRAP_SOURCE_NAME, FLUX_NAMESPACE } from './git-source';

export interface FluxKustomizationProps {
  readonly name: string;
  /** Path in the source, e.g. `./clusters/staging/apps/microservices`. */
  readonly path: string;
  /** Names of Flux Kustomizations (in flux-system) that must be ready first. @default [] */
  readonly dependsOn?: readonly string[];
  /** GitRepository (in flux-system) holding `path`. @default 'flux-system' - the source flux bootstrap created, with its credentials */
  readonly sourceName?: string;
  /** @default '10m' */
  readonly interval?: string;
  /** Retry sooner than `interval` after a failure. @default '2m' */
  readonly retryInterval?: string;
  /** How long health checks may take. @default '5m' */
  readonly timeout?: string;
  /** Delete objects removed from Git. @default true */
  readonly prune?: boolean;
  /** Wait for every applied object to become ready; makes `dependsOn` meaningful. @default true */
  readonly wait?: boolean;
  /** CEL health checks for custom resources (e.g. a failed Flagger Canary). @default - none */
  readonly healthCheckExprs?: readonly KustomizationSpecHealthCheckExprs[];
  /** SOPS decryption of Secrets in this path. @default - none */
  readonly decryption?: KustomizationSpecDecryption;
}

/**
 * A kustomize.toolkit.fluxcd.io/v1 Kustomization: one reconciled unit of the cluster, ordered
 * with `dependsOn` (infrastructure controllers → their configs → apps).
 *
 * @see https://fluxcd.io/flux/components/kustomize/kustomizations/
 */
export class FluxKustomization extends Construct {
  readonly resource: Kustomization;

  constructor(scope: Construct, id: string, props: FluxKustomizationProps) {
    super(scope, id);
    this.resource = new Kustomization(this, 'Resource', {
      metadata: { name: props.name, namespace: FLUX_NAMESPACE, labels: { [MANAGED_BY_LABEL]: MANAGED_BY } },
      spec: {
        interval: props.interval ?? '10m',
        retryInterval: props.retryInterval ?? '2m',
        timeout: props.timeout ?? '5m',
        path: props.path,
        prune: props.prune ?? true,
        wait: props.wait ?? true,
        sourceRef: { kind: KustomizationSpecSourceRefKind.GIT_REPOSITORY, name: props.sourceName ?? BOOTSTRAP_SOURCE_NAME },
        dependsOn: props.dependsOn && props.dependsOn.length > 0 ? props.dependsOn.map((name) => ({ name })) : undefined,
        healthCheckExprs: props.healthCheckExprs ? [...props.healthCheckExprs] : undefined,
        decryption: props.decryption,
      },
    });
  }
}
