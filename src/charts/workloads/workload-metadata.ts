import type { k8s } from 'cdk8s-plus-27';
import type { ResolvedService } from '../../model/resolve';
import { DEFINITION_ANNOTATION, serviceLabels } from '../labels';

/** Metadata every workload kind of a service carries, as the Deployment does. */
export function workloadMetadata(service: ResolvedService, annotations: Readonly<Record<string, string>> = {}): k8s.ObjectMeta {
  return {
    name: service.name,
    namespace: service.namespace,
    labels: serviceLabels(service.name, service.system, service.labels),
    annotations: { ...service.annotations, ...annotations, [DEFINITION_ANNOTATION]: service.definition },
  };
}

/** The pod template of a task: Jobs need a restartPolicy other than the default `Always`. */
export function taskPodTemplate(template: k8s.PodTemplateSpec, restartPolicy: 'Never' | 'OnFailure'): k8s.PodTemplateSpec {
  return { ...template, spec: template.spec ? { ...template.spec, restartPolicy } : undefined };
}
