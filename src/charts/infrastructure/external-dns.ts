import { Construct } from 'constructs';
import { CHARTS } from '../../model/controller-versions';
import { ControllerNamespace } from './controller-namespace';
import { ControllerRelease } from './helm-release';
import { irsaRoleArn, IrsaServiceAccount } from './irsa-service-account';

export const EXTERNAL_DNS = 'external-dns';

export interface ExternalDnsValues {
  readonly provider: { readonly name: 'aws' };
  readonly env: readonly { readonly name: string; readonly value: string }[];
  readonly sources: readonly string[];
  /** Only zones under these domains are touched. Empty: every zone the role may change. */
  readonly domainFilters: readonly string[];
  /** `sync` deletes records it created when their Ingress goes; the TXT registry limits that to its own. */
  readonly policy: 'sync' | 'upsert-only';
  readonly registry: 'txt';
  readonly txtOwnerId: string;
  readonly serviceAccount: { readonly create: false; readonly name: string };
}

export interface ExternalDnsProps {
  readonly cluster: string;
  readonly accountId: string;
  readonly region: string;
  /** Route 53 domain it may manage. @default - every hosted zone the IAM role allows */
  readonly domainFilter?: string;
  /** @default false */
  readonly argocd?: boolean;
}

/**
 * ExternalDNS on Route 53: creates the DNS records of Ingress hosts. Records carry a TXT owner
 * record with the cluster name, so two clusters sharing a zone never delete each other's
 * records. Its ServiceAccount assumes `<cluster>-external-dns` (IRSA).
 *
 * @see https://kubernetes-sigs.github.io/external-dns/latest/docs/tutorials/aws/
 */
export class ExternalDns extends Construct {
  readonly release: ControllerRelease<ExternalDnsValues>;

  constructor(scope: Construct, id: string, props: ExternalDnsProps) {
    super(scope, id);
    const namespace = new ControllerNamespace(this, 'Namespace', {
      name: EXTERNAL_DNS,
      podSecurity: { level: 'restricted', reason: 'the chart runs ExternalDNS non-root, read-only, with every capability dropped and the RuntimeDefault seccomp profile' },
      argocd: props.argocd,
    }).name;
    new IrsaServiceAccount(this, 'ServiceAccount', { name: EXTERNAL_DNS, namespace, roleArn: irsaRoleArn(props.accountId, props.cluster, EXTERNAL_DNS) });
    const pin = CHARTS['external-dns'];
    this.release = new ControllerRelease(this, 'Release', {
      name: EXTERNAL_DNS,
      namespace,
      pin,
      argocd: props.argocd,
      values: {
        provider: { name: 'aws' },
        env: [{ name: 'AWS_DEFAULT_REGION', value: props.region }],
        sources: ['ingress', 'service'],
        domainFilters: props.domainFilter ? [props.domainFilter] : [],
        policy: 'sync',
        registry: 'txt',
        txtOwnerId: props.cluster,
        serviceAccount: { create: false, name: EXTERNAL_DNS },
      },
    });
  }
}
