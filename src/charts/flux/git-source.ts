import type { FluxSourceSpec } from '../../model/cluster';

export const FLUX_NAMESPACE = 'flux-system';

/**
 * The GitRepository `flux bootstrap` writes (clusters/<cluster>/flux-system/gotk-sync.yaml) and
 * that every Flux object of the cluster reads the config repository through. Bootstrap gives it
 * the URL and credentials it set up itself: by default an `ssh://` URL and an SSH deploy key in
 * Secret `flux-system` (read-only unless `--read-write-key`), or an `https://` URL and a token
 * with `--token-auth`. A second GitRepository with the model's URL and that Secret pairs an
 * `https://` URL with an SSH key and never clones a private repository; reusing the bootstrap
 * source, as fluxcd/flux2-kustomize-helm-example does (clusters/staging/apps.yaml:
 * `sourceRef: {kind: GitRepository, name: flux-system}`), is right whatever bootstrap chose.
 *
 * @see https://fluxcd.io/flux/installation/bootstrap/github/
 */
export const BOOTSTRAP_SOURCE_NAME = 'flux-system';

/** `clusters/…` inside the config repository, honouring a sub-directory. */
export function repoPath(source: FluxSourceSpec, relative: string): string {
  const prefix = (source.path ?? '').replace(/^\.?\/*/, '').replace(/\/*$/, '');
  return `./${prefix ? `${prefix}/` : ''}${relative}`;
}
