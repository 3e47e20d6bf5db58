import type { ResolvedService } from '../../model/resolve';

/** Names of the objects and volumes a service's pod refers to. */

export function configMapName(service: string): string {
  return `${service}-config`;
}

export function filesConfigMapName(service: string): string {
  return `${service}-files`;
}

/** Volume of a Secret mounted as files (`secretFiles`). */
export function secretVolumeName(secret: string): string {
  return `secret-${secret}`;
}

export function imageReference(service: ResolvedService): string {
  if (!service.version) return service.image;
  return service.version.startsWith('sha256:') ? `${service.image}@${service.version}` : `${service.image}:${service.version}`;
}
