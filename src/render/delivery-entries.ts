import { ImageAutomation, type AutomatedImage } from '../charts/flux/image-automation';
import { FluxNotifications } from '../charts/flux/notifications';
import type { ClusterSpec } from '../model/cluster';
import { findService, type FleetSpec } from '../model/fleet';
import type { KubeObject } from '../model/kube-object';
import { synthObjects } from './synth-objects';

/** Entry files under `clusters/<cluster>/` the delivery workflow adds. */
export const IMAGE_AUTOMATION_FILE = 'image-automation.yaml';
export const NOTIFICATIONS_FILE = 'notifications.yaml';

/**
 * The services of a cluster its image automation may bump, with their rules: the listed
 * policies, or every service of the cluster (highest semver). Policies for services the cluster
 * does not run are left out (checkDelivery reports them).
 */
export function automatedImages(fleet: FleetSpec, cluster: ClusterSpec): AutomatedImage[] {
  const policies = cluster.imageAutomation?.policies;
  const names = policies ? Object.keys(policies).filter((name) => cluster.services.includes(name)) : cluster.services;
  return names.flatMap((name) => {
    const entry = findService(fleet, name);
    return entry ? [{ service: name, image: entry.service.image, rule: policies?.[name] ?? {} }] : [];
  });
}

/**
 * The Flux objects of a cluster's delivery workflow, by entry file name under `clusters/<cluster>/`
 * (each file also goes into that directory's kustomization.yaml): image automation writing to
 * the release lock, and notifications. Empty for a cluster that opts into neither.
 */
export function deliveryEntries(fleet: FleetSpec, cluster: ClusterSpec): Record<string, KubeObject[]> {
  const entries: Record<string, KubeObject[]> = {};
  if (cluster.imageAutomation) {
    const spec = cluster.imageAutomation;
    const images = automatedImages(fleet, cluster);
    entries[IMAGE_AUTOMATION_FILE] = synthObjects(
      (scope) => new ImageAutomation(scope, 'image-automation', { environment: cluster.environment, cluster: cluster.name, clusterSource: cluster.flux, images, spec }),
    );
  }
  if (cluster.notifications) {
    const spec = cluster.notifications;
    entries[NOTIFICATIONS_FILE] = synthObjects(
      (scope) => new FluxNotifications(scope, 'notifications', { cluster: cluster.name, environment: cluster.environment, spec, imageAutomation: cluster.imageAutomation !== undefined }),
    );
  }
  return entries;
}
