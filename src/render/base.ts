import type { KubeObject } from '../model/kube-object';
import { baseDir, objectFileName } from './layout';
import type { GeneratedFile } from './yaml';

/** `dist/bases/<name>/` of a service or app: one file per object plus the kustomization.yaml listing them. */
export function baseFiles(name: string, source: string, objects: readonly KubeObject[]): Map<string, GeneratedFile> {
  const dir = baseDir(name);
  const files = new Map<string, GeneratedFile>();
  const names = objects.map((obj) => objectFileName(obj, name));
  objects.forEach((obj, i) => files.set(`${dir}/${names[i]}`, file(source, [obj])));
  files.set(`${dir}/kustomization.yaml`, file(source, [{ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: [...names].sort() }]));
  return files;
}

function file(source: string, documents: readonly unknown[]): GeneratedFile {
  return { source, documents };
}
