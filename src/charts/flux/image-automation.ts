import { Construct } from 'constructs';
import {
  ImagePolicy,
  ImagePolicySpecPolicyAlphabeticalOrder,
  ImagePolicySpecPolicyNumericalOrder,
  type ImagePolicySpecFilterTags,
  type ImagePolicySpecPolicy,
} from '../../../imports/flux-image-policy-image.toolkit.fluxcd.io';
import { ImageRepository, ImageRepositorySpecProvider } from '../../../imports/flux-image-repository-image.toolkit.fluxcd.io';
import {
  ImageUpdateAutomation,
  ImageUpdateAutomationSpecSourceRefKind,
  ImageUpdateAutomationSpecUpdateStrategy,
} from '../../../imports/flux-image-update-automation-image.toolkit.fluxcd.io';
import { GitRepository } from '../../../imports/flux-source-gitrepository-source.toolkit.fluxcd.io';
import type { FluxSourceSpec, ImageAutomationSpec, ImagePolicyRule } from '../../model/cluster';
import { IMAGE_POLICY_NAMESPACE, imagePolicyName, RELEASE_LOCK_FILE } from '../../model/release-lock-types';
import { MANAGED_BY, MANAGED_BY_LABEL } from '../labels';
import { BOOTSTRAP_SOURCE_NAME, repoPath } from './git-source';

/** Directory of the lock, relative to the project: what `update.path` points at. */
const lockDirectory = RELEASE_LOCK_FILE.slice(0, RELEASE_LOCK_FILE.lastIndexOf('/'));

/** A service whose release-lock entry the automation may bump. */
export interface AutomatedImage {
  /** Service name: names the ImageRepository and, with the environment, the ImagePolicy. */
  readonly service: string;
  /** Image repository without tag, e.g. `bookstore/clients-api`. */
  readonly image: string;
  readonly rule: ImagePolicyRule;
}

export interface ImageAutomationProps {
  /** Environment of the cluster: the lock entries its policies may rewrite. */
  readonly environment: string;
  readonly images: readonly AutomatedImage[];
  /** Cluster name, for the commit message. */
  readonly cluster: string;
  /** The repository the cluster syncs from (flux bootstrap's GitRepository `flux-system`). */
  readonly clusterSource: FluxSourceSpec;
  /**
   * Bumps are committed to `spec.source` when set (a GitRepository `fleet-releases` is rendered
   * for it, with `spec.source.secretName`), else through the bootstrap source, whose deploy key
   * must then have write access (`flux bootstrap … --read-write-key`).
   */
  readonly spec: ImageAutomationSpec;
}

/** The one automation of a cluster. */
export const IMAGE_AUTOMATION_NAME = 'release-lock';
/** GitRepository of the project repository, when the cluster syncs its output from another one. */
export const LOCK_SOURCE_NAME = 'fleet-releases';
const DEFAULT_AUTHOR = { name: 'fluxcdbot', email: 'fluxcdbot@users.noreply.github.com' };

/**
 * gitignore rules keeping one directory: exclude everything at each level, re-include one entry
 * (git cannot re-include a path whose parent is excluded).
 */
export function onlyDirectory(path: string): string {
  const rules: string[] = [];
  let prefix = '';
  for (const segment of path.split('/').filter((s) => s && s !== '.')) {
    rules.push(`${prefix}/*`, `!${prefix}/${segment}/`);
    prefix += `/${segment}`;
  }
  return `${rules.join('\n')}\n`;
}

/** Flux's ImagePolicy `policy` and `filterTags` for a rule; semver `>=0.0.0` when it says nothing. */
export function policyFor(rule: ImagePolicyRule): { policy: ImagePolicySpecPolicy; filterTags?: ImagePolicySpecFilterTags } {
  if (rule.pattern === undefined) return { policy: { semver: { range: rule.semver ?? '>=0.0.0' } } };
  const filterTags: ImagePolicySpecFilterTags = { pattern: rule.pattern, extract: rule.extract };
  if (rule.semver !== undefined) return { policy: { semver: { range: rule.semver } }, filterTags };
  const order = rule.order ?? (rule.extract ? 'numerical' : 'alphabetical');
  return order === 'numerical'
    ? { policy: { numerical: { order: ImagePolicySpecPolicyNumericalOrder.ASC } }, filterTags }
    : { policy: { alphabetical: { order: ImagePolicySpecPolicyAlphabeticalOrder.ASC } }, filterTags };
}

/**
 * Flux image automation writing to the release lock: per service an ImageRepository (scans the
 * registry) and an ImagePolicy `<environment>-<service>` (picks the tag), plus one
 * ImageUpdateAutomation that commits the picked tags into the lock through the
 * `{"$imagepolicy": "flux-system:<environment>-<service>:tag"}` markers. Because the lock is the
 * model's input, the next `npm run synth` (CI on main) renders the bump, and a later render never
 * reverts it. Policies are named per environment so one cluster's automation cannot rewrite
 * another environment's entries in the shared file.
 *
 * @see https://fluxcd.io/flux/components/image/imageupdateautomations/
 * @see https://fluxcd.io/flux/components/image/imagepolicies/
 */
export class ImageAutomation extends Construct {
  constructor(scope: Construct, id: string, props: ImageAutomationProps) {
    super(scope, id);
    const labels = { [MANAGED_BY_LABEL]: MANAGED_BY };
    const provider = props.spec.provider && props.spec.provider !== 'generic' ? (props.spec.provider as ImageRepositorySpecProvider) : undefined;
    for (const automated of props.images) {
      new ImageRepository(this, `repository-${automated.service}`, {
        metadata: { name: automated.service, namespace: IMAGE_POLICY_NAMESPACE, labels },
        spec: {
          image: automated.image,
          interval: props.spec.interval ?? '5m',
          provider,
          secretRef: props.spec.registrySecretName ? { name: props.spec.registrySecretName } : undefined,
        },
      });
      new ImagePolicy(this, `policy-${automated.service}`, {
        metadata: { name: imagePolicyName(props.environment, automated.service), namespace: IMAGE_POLICY_NAMESPACE, labels },
        spec: { imageRepositoryRef: { name: automated.service }, ...policyFor(automated.rule) },
      });
    }
    const lockSource = props.spec.source ?? props.clusterSource;
    const sourceName = props.spec.source ? LOCK_SOURCE_NAME : BOOTSTRAP_SOURCE_NAME;
    if (props.spec.source) {
      new GitRepository(this, 'source', {
        metadata: { name: LOCK_SOURCE_NAME, namespace: IMAGE_POLICY_NAMESPACE, labels },
        spec: {
          url: props.spec.source.url,
          ref: { branch: props.spec.source.branch ?? 'main' },
          interval: '10m',
          // Never bootstrap's `flux-system`: a GitHub deploy key opens one repository only, and
          // this is another one (checkDelivery requires secretName: delivery/missing-write-credentials).
          secretRef: props.spec.source.secretName ? { name: props.spec.source.secretName } : undefined,
          // Nothing applies this artifact; keep it to the lock's directory.
          ignore: onlyDirectory(repoPath(props.spec.source, lockDirectory)),
        },
      });
    }
    const author = props.spec.author ?? DEFAULT_AUTHOR;
    new ImageUpdateAutomation(this, 'automation', {
      metadata: { name: IMAGE_AUTOMATION_NAME, namespace: IMAGE_POLICY_NAMESPACE, labels },
      spec: {
        interval: '10m',
        sourceRef: { kind: ImageUpdateAutomationSpecSourceRefKind.GIT_REPOSITORY, name: sourceName },
        git: {
          checkout: { ref: { branch: lockSource.branch ?? 'main' } },
          commit: {
            author: { name: author.name, email: author.email },
            messageTemplate: [
              `release(${props.environment}): image automation on cluster ${props.cluster}`,
              '',
              '{{ range .Changed.Changes -}}',
              '- {{ .OldValue }} -> {{ .NewValue }}',
              '{{ end -}}',
            ].join('\n'),
          },
          push: props.spec.pushBranch ? { branch: props.spec.pushBranch } : undefined,
        },
        // The lock's directory: Flux walks it for markers (the lock is its only YAML file).
        update: { path: repoPath(lockSource, lockDirectory), strategy: ImageUpdateAutomationSpecUpdateStrategy.SETTERS },
        // Only the policies rendered here, never a hand-made one that could rewrite the lock.
        policySelector: { matchLabels: labels },
      },
    });
  }
}
