import type { k8s } from 'cdk8s-plus-27';
import type { ResolvedService } from '../../model/resolve';
import { DEFINITION_ANNOTATION, serviceLabels } from '../labels';
import type { ClusterContext } from '../microservice/cluster-context';
import { sortedRecord } from '../microservice/pod-template';

/** Metadata every workload kind of a service carries, as the Deployment does. */
export function workloadMetadata(service: ResolvedService, annotations: Readonly<Record<string, string>> = {}): k8s.ObjectMeta {
  return {
    name: service.name,
    namespace: service.namespace,
    labels: serviceLabels(service.name, service.system, service.labels),
    annotations: { ...service.annotations, ...annotations, [DEFINITION_ANNOTATION]: service.definition },
  };
}

/**
 * A meshed Job never completes while its proxy sidecar keeps running. As a native sidecar (an
 * init container with `restartPolicy: Always`, Kubernetes ≥ 1.29) the proxy stops with the
 * task. Istio: `sidecar.istio.io/nativeSidecar` (istio/api annotation/annotations.yaml, takes
 * precedence over ENABLE_NATIVE_SIDECARS); Linkerd: `config.beta.linkerd.io/proxy-enable-native-sidecar`
 * (https://linkerd.io/2/features/native-sidecars).
 */
export function nativeSidecarAnnotations(cluster?: ClusterContext): Record<string, string> {
  if (cluster?.mesh === 'istio') return { 'sidecar.istio.io/nativeSidecar': 'true' };
  if (cluster?.mesh === 'linkerd') return { 'config.beta.linkerd.io/proxy-enable-native-sidecar': 'true' };
  return {};
}

/**
 * The pod template of a task: Jobs need a restartPolicy other than the default `Always`, and
 * a meshed task runs its proxy as a native sidecar so that it can complete.
 */
export function taskPodTemplate(template: k8s.PodTemplateSpec, restartPolicy: 'Never' | 'OnFailure', cluster?: ClusterContext): k8s.PodTemplateSpec {
  const annotations = sortedRecord({ ...template.metadata?.annotations, ...nativeSidecarAnnotations(cluster) });
  return {
    ...template,
    metadata: { ...template.metadata, annotations },
    spec: template.spec ? { ...template.spec, restartPolicy } : undefined,
  };
}
