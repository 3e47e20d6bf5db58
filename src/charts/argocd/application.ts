import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { MANAGED_BY, MANAGED_BY_LABEL } from '../labels';

/** Argo CD orders an app-of-apps sync by this annotation, lowest wave first. */
export const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';

/**
 * The part of argoproj.io/v1alpha1 Application the generator writes. Argo CD's CRDs are not
 * imported (`cdk8s import`), so the shape is typed here and kept to what we set.
 *
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/application-specification/
 */
export interface ApplicationSpec {
  readonly project: string;
  readonly source: { readonly repoURL: string; readonly targetRevision: string; readonly path: string };
  readonly destination: { readonly server: string; readonly namespace?: string };
  readonly syncPolicy: {
    /** Absent for a manual Application: Argo CD then syncs only when someone asks. */
    readonly automated?: { readonly prune: boolean; readonly selfHeal: boolean };
    readonly syncOptions: readonly string[];
    readonly retry: { readonly limit: number; readonly backoff: { readonly duration: string; readonly factor: number; readonly maxDuration: string } };
  };
}

export interface ArgoCdApplicationProps {
  readonly name: string;
  /** Namespace of the Argo CD installation. */
  readonly namespace: string;
  /** @default 'default' */
  readonly project?: string;
  /** Git URL of the config repository. */
  readonly repoURL: string;
  /** Branch (or tag) Argo CD follows. */
  readonly targetRevision: string;
  /** Path in the repository, without Flux's leading `./`. */
  readonly path: string;
  /** Default namespace of objects without one (apps overlays set theirs anyway). @default - none */
  readonly destinationNamespace?: string;
  /**
   * Order among the children of the app-of-apps parent that syncs this Application; mirrors
   * Flux's dependsOn chain. @default - none (wave 0)
   */
  readonly syncWave?: number;
  /**
   * Failed syncs retried before Argo CD gives up on this revision; negative retries forever
   * (`syncPolicy.retry.limit`). @default 5
   * @see https://argo-cd.readthedocs.io/en/stable/user-guide/auto_sync/#automated-sync-semantics
   */
  readonly retryLimit?: number;
  /**
   * `'automated'`: Argo CD syncs each new commit, prunes what left git and reverts drift.
   * `'manual'`: no `syncPolicy.automated`, so the Application only reports OutOfSync until someone
   * syncs it; that sync still uses the `syncOptions` and `retry` below (argoproj/argo-cd
   * server/application/application.go, Sync: a request without its own retry takes the spec's).
   * @default 'automated'
   * @see https://argo-cd.readthedocs.io/en/stable/user-guide/auto_sync/
   */
  readonly sync?: 'automated' | 'manual';
}

/**
 * An Argo CD Application applying one directory the generator renders, for teams that run Argo
 * CD on the namespaces they own (Flux applies every other path; see src/render/argocd.ts).
 *
 * No `resources-finalizer`: deleting the Application leaves its objects running, as removing a
 * Flux Kustomization with `prune: false` would; deleting workloads stays an explicit act.
 *
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/sync-waves/
 */
export class ArgoCdApplication extends Construct {
  readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: ArgoCdApplicationProps) {
    super(scope, id);
    const spec: ApplicationSpec = {
      project: props.project ?? 'default',
      source: { repoURL: props.repoURL, targetRevision: props.targetRevision, path: props.path.replace(/^\.\//, '') },
      destination: { server: 'https://kubernetes.default.svc', namespace: props.destinationNamespace },
      syncPolicy: {
        ...(props.sync === 'manual' ? {} : { automated: { prune: true, selfHeal: true } }),
        // Server-side apply like kustomize-controller, so large CRDs and field ownership behave the same.
        syncOptions: ['ServerSideApply=true'],
        retry: { limit: props.retryLimit ?? 5, backoff: { duration: '30s', factor: 2, maxDuration: '5m' } },
      },
    };
    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: {
        name: props.name,
        namespace: props.namespace,
        labels: { [MANAGED_BY_LABEL]: MANAGED_BY },
        annotations: props.syncWave === undefined ? undefined : { [SYNC_WAVE_ANNOTATION]: String(props.syncWave) },
      },
      spec,
    });
  }
}
