import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import type { ResolvedService } from '../../model/resolve';
import type { VolumeClaimSpec } from '../../model/workload';
import type { ClusterContext } from '../microservice/cluster-context';
import { podTemplate } from '../microservice/pod-template';
import { KubeStatefulSetWithExtras } from './kube-with-extras';
import { workloadMetadata } from './workload-metadata';

export interface ServiceStatefulSetProps {
  readonly service: ResolvedService;
  /** Name of the headless governing Service (`spec.serviceName`). */
  readonly governingService: string;
  /** PersistentVolumeClaim templates, one claim per pod each. @default [] */
  readonly volumeClaims?: readonly VolumeClaimSpec[];
  /** @default 'OrderedReady' */
  readonly podManagementPolicy?: 'OrderedReady' | 'Parallel';
  /** @default - the environment-neutral base (no mesh labels) */
  readonly cluster?: ClusterContext;
  /** Leave `spec.replicas` out (an HPA owns it). @default false */
  readonly omitReplicas?: boolean;
}

/**
 * The StatefulSet of a service: the same pod as its Deployment would run, with stable pod names,
 * a PersistentVolumeClaim per pod and claim template (mounted into the main container), and the
 * headless governing Service that gives each pod its DNS name. Selected like the Deployment: by the single plain
 * label, or the adopted `existingSelector` (`spec.selector` is immutable).
 *
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/
 */
export class ServiceStatefulSet extends Construct {
  readonly resource: k8s.KubeStatefulSet;

  constructor(scope: Construct, id: string, props: ServiceStatefulSetProps) {
    super(scope, id);
    const { service } = props;
    const claims = props.volumeClaims ?? [];
    this.resource = new KubeStatefulSetWithExtras(this, 'Resource', service, {
      metadata: workloadMetadata(service),
      spec: {
        serviceName: props.governingService,
        replicas: props.omitReplicas ? undefined : service.replicas,
        podManagementPolicy: props.podManagementPolicy ?? 'OrderedReady',
        selector: { matchLabels: { ...service.selector } },
        template: withClaimMounts(podTemplate(service, props.cluster), claims),
        volumeClaimTemplates: claims.length > 0 ? claims.map(claimTemplate) : undefined,
      },
    });
  }
}

function claimTemplate(claim: VolumeClaimSpec): k8s.KubePersistentVolumeClaimProps {
  return {
    metadata: { name: claim.name },
    spec: {
      accessModes: [...(claim.accessModes ?? ['ReadWriteOnce'])],
      storageClassName: claim.storageClassName,
      resources: { requests: { storage: k8s.Quantity.fromString(claim.size) } },
    },
  };
}

/** The main (first) container mounts every claim; the claim template names the volume. */
function withClaimMounts(template: k8s.PodTemplateSpec, claims: readonly VolumeClaimSpec[]): k8s.PodTemplateSpec {
  if (claims.length === 0 || !template.spec) return template;
  const [main, ...rest] = template.spec.containers;
  const mounts = [...(main.volumeMounts ?? []), ...claims.map((claim) => ({ name: claim.name, mountPath: claim.mountPath }))];
  return { ...template, spec: { ...template.spec, containers: [{ ...main, volumeMounts: mounts }, ...rest] } };
}
