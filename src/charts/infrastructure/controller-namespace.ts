import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import type { MeshKind } from '../../model/cluster';
import { ANNOTATION_PREFIX } from '../labels';
import { INFRASTRUCTURE_LABELS, pruneProtectionAnnotations, type PruneProtection } from './prune-protection';

export type PodSecurityLevel = 'restricted' | 'baseline' | 'privileged';

/** A Pod Security level and why the controller needs it (rendered as an annotation). */
export interface PodSecurityChoice {
  readonly level: PodSecurityLevel;
  readonly reason: string;
}

/**
 * How the namespace's pods relate to the mesh:
 * - `excluded`: no sidecars (controllers talk to the API server, not to services in the mesh);
 * - `member`: every pod gets a sidecar;
 * - `opt-in`: no namespace label, so a pod that asks for a sidecar (pod label) gets one.
 */
export type MeshMembership = 'excluded' | 'member' | 'opt-in';

/** Why the namespace itself is annotated with its Pod Security level. */
export const POD_SECURITY_REASON_ANNOTATION = `${ANNOTATION_PREFIX}/pod-security-reason`;

export interface ControllerNamespaceProps {
  readonly name: string;
  /**
   * Enforced Pod Security Standard; `warn` and `audit` are always `restricted`, so the gap to
   * restricted stays visible in `kubectl` warnings and the audit log.
   * @see https://kubernetes.io/docs/concepts/security/pod-security-admission/
   */
  readonly podSecurity: PodSecurityChoice;
  /** The cluster's mesh. @default 'none' */
  readonly mesh?: MeshKind;
  /** @default 'excluded' */
  readonly meshMembership?: MeshMembership;
  /** Keep the namespace when it leaves the model: deleting it deletes the state inside. @default - pruned like anything else */
  readonly pruneProtection?: PruneProtection;
  /** Also protect it from Argo CD's pruning. @default false */
  readonly argocd?: boolean;
}

/** Labels and annotations that put a namespace in or out of the cluster's mesh. */
export function meshMetadata(mesh: MeshKind, membership: MeshMembership): { labels: Record<string, string>; annotations: Record<string, string> } {
  if (membership === 'opt-in' || mesh === 'none') return { labels: {}, annotations: {} };
  const enabled = membership === 'member' ? 'enabled' : 'disabled';
  if (mesh === 'istio') return { labels: { 'istio-injection': enabled }, annotations: {} };
  return { labels: {}, annotations: { 'linkerd.io/inject': enabled } };
}

function sorted(record: Record<string, string>): Record<string, string> | undefined {
  const keys = Object.keys(record).sort();
  return keys.length === 0 ? undefined : Object.fromEntries(keys.map((key) => [key, record[key]]));
}

/**
 * The namespace a cluster controller runs in, rendered by the generator (never by Helm's
 * `createNamespace`) so its Pod Security and mesh labels are reviewed like any other object,
 * and so it can be protected from pruning when it holds state.
 *
 * @see https://kubernetes.io/docs/concepts/security/pod-security-admission/
 */
export class ControllerNamespace extends Construct {
  readonly resource: k8s.KubeNamespace;
  readonly name: string;

  constructor(scope: Construct, id: string, props: ControllerNamespaceProps) {
    super(scope, id);
    this.name = props.name;
    const mesh = meshMetadata(props.mesh ?? 'none', props.meshMembership ?? 'excluded');
    this.resource = new k8s.KubeNamespace(this, 'Resource', {
      metadata: {
        name: props.name,
        labels: sorted({
          ...INFRASTRUCTURE_LABELS,
          ...mesh.labels,
          'pod-security.kubernetes.io/enforce': props.podSecurity.level,
          'pod-security.kubernetes.io/warn': 'restricted',
          'pod-security.kubernetes.io/audit': 'restricted',
        }),
        annotations: sorted({
          ...mesh.annotations,
          ...pruneProtectionAnnotations(props.pruneProtection, props.argocd),
          [POD_SECURITY_REASON_ANNOTATION]: props.podSecurity.reason,
        }),
      },
    });
  }
}
