import { Construct } from 'constructs';
import { Alert, AlertSpecEventSeverity, AlertSpecEventSourcesKind } from '../../../imports/flux-notification-alert-notification.toolkit.fluxcd.io';
import { Provider, ProviderSpecType } from '../../../imports/flux-notification-provider-notification.toolkit.fluxcd.io';
import type { NotificationsSpec } from '../../model/cluster';
import { MANAGED_BY, MANAGED_BY_LABEL } from '../labels';
import { FLUX_NAMESPACE } from './git-source';

export interface FluxNotificationsProps {
  /** Cluster name, sent with every event so one channel can serve the whole fleet. */
  readonly cluster: string;
  readonly environment: string;
  readonly spec: NotificationsSpec;
  /** Also report image automation (ImageRepository, ImagePolicy, ImageUpdateAutomation). @default false */
  readonly imageAutomation?: boolean;
  /** Name of the Provider and the Alert. @default 'fleet' */
  readonly name?: string;
}

const FLUX_SOURCES: readonly AlertSpecEventSourcesKind[] = [
  AlertSpecEventSourcesKind.GIT_REPOSITORY,
  AlertSpecEventSourcesKind.KUSTOMIZATION,
  AlertSpecEventSourcesKind.HELM_REPOSITORY,
  AlertSpecEventSourcesKind.HELM_RELEASE,
];
const IMAGE_SOURCES: readonly AlertSpecEventSourcesKind[] = [
  AlertSpecEventSourcesKind.IMAGE_REPOSITORY,
  AlertSpecEventSourcesKind.IMAGE_POLICY,
  AlertSpecEventSourcesKind.IMAGE_UPDATE_AUTOMATION,
];

/**
 * notification.toolkit.fluxcd.io/v1beta3 Provider + Alert: events of every Flux object in
 * flux-system (by default only errors, i.e. failed reconciliations and health checks) go to a
 * Slack or Teams webhook whose URL is the `address` key of `secretName`. The cluster and
 * environment ride along as event metadata.
 *
 * @see https://fluxcd.io/flux/components/notification/alerts/
 * @see https://fluxcd.io/flux/components/notification/providers/
 */
export class FluxNotifications extends Construct {
  constructor(scope: Construct, id: string, props: FluxNotificationsProps) {
    super(scope, id);
    const name = props.name ?? 'fleet';
    const metadata = { name, namespace: FLUX_NAMESPACE, labels: { [MANAGED_BY_LABEL]: MANAGED_BY } };
    new Provider(this, 'provider', {
      metadata,
      spec: {
        type: props.spec.provider === 'slack' ? ProviderSpecType.SLACK : ProviderSpecType.MSTEAMS,
        channel: props.spec.provider === 'slack' ? props.spec.channel : undefined,
        secretRef: { name: props.spec.secretName },
      },
    });
    const kinds = [...FLUX_SOURCES, ...(props.imageAutomation ? IMAGE_SOURCES : [])];
    new Alert(this, 'alert', {
      metadata,
      spec: {
        providerRef: { name },
        eventSeverity: props.spec.severity === 'info' ? AlertSpecEventSeverity.INFO : AlertSpecEventSeverity.ERROR,
        eventSources: kinds.map((kind) => ({ kind, name: '*' })),
        eventMetadata: { cluster: props.cluster, environment: props.environment },
      },
    });
  }
}
