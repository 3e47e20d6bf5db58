import { Microservice } from '../charts/microservice/microservice';
import type { ServiceEntry } from '../model/fleet';
import type { KubeObject } from '../model/kube-object';
import type { ResolvedService } from '../model/resolve';
import { baseDir, objectFileName } from './layout';
import { synthObjects } from './synth-objects';
import type { GeneratedFile } from './yaml';

/** The environment-neutral objects of one service (resolved without an environment): what every overlay of it starts from. */
export function renderServiceBase(service: ResolvedService): KubeObject[] {
  return synthObjects((scope) => new Microservice(scope, service.name, { service }));
}

/** `dist/bases/<service>/`: one file per object plus the kustomization.yaml listing them. */
export function baseFiles(entry: ServiceEntry, objects: readonly KubeObject[]): Map<string, GeneratedFile> {
  const dir = baseDir(entry.service.name);
  const source = entry.system.definition;
  const files = new Map<string, GeneratedFile>();
  const names = objects.map((obj) => objectFileName(obj, entry.service.name));
  objects.forEach((obj, i) => files.set(`${dir}/${names[i]}`, file(source, [obj])));
  files.set(`${dir}/kustomization.yaml`, file(source, [{ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: [...names].sort() }]));
  return files;
}

function file(source: string, documents: readonly unknown[]): GeneratedFile {
  return { source, documents };
}
