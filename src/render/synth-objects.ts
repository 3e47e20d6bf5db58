import { App, Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { KubeObject } from '../model/kube-object';

/**
 * Runs cdk8s on a set of constructs and returns their manifests as plain JSON, without cdk8s
 * writing files: writing, ordering and pruning are ours (cdk8s synth wipes its output folder).
 */
export function synthObjects(define: (scope: Construct) => void): KubeObject[] {
  const app = new App();
  const chart = new Chart(app, 'fleet', { disableResourceNameHashes: true });
  define(chart);
  return chart.toJson() as KubeObject[];
}
