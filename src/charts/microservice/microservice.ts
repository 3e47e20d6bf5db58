import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import type { ResolvedService } from '../../model/resolve';
import { linkerdTrafficAnnotations } from '../../model/traffic';
import { ServiceCanary } from '../progressive/canary';
import { ServiceVirtualService } from '../progressive/istio-routing';
import { ServiceRollout } from '../progressive/rollout';
import { CanaryIngressRoute } from '../progressive/traefik-route';
import { ServiceAutoscaler } from './autoscaler';
import type { ClusterContext } from './cluster-context';
import { ServiceConfig } from './config-map';
import { ServiceDeployment } from './deployment';
import { ServiceDisruptionBudget } from './disruption-budget';
import { ServiceHttpRoute } from './http-route';
import { ServiceIngress } from './ingress';
import { ServiceNetworkPolicy } from './network-policy';
import { configMapName, filesConfigMapName } from './pod-template';
import { ServicePorts } from './service';
import { ServiceIdentity } from './service-account';

export interface MicroserviceProps {
  readonly service: ResolvedService;
  /**
   * The cluster rendered for. Cluster-only objects (Ingress) and cluster facts (mesh labels,
   * ingress-controller NetworkPolicy peers) need it.
   * @default - the environment-neutral base
   */
  readonly cluster?: ClusterContext;
}

/**
 * Every object one service needs: Deployment, Service, ServiceAccount, ConfigMaps, HPA, PDB,
 * NetworkPolicy and, on a cluster, its entry object (Ingress, IngressRoute, HTTPRoute or VirtualService)
 * and progressive delivery (Flagger Canary or Argo Rollout). Each object is its own construct;
 * this class only decides which exist — including Flagger's ownership rules: for a canaried
 * service the Service `<name>` and the provider's routing objects are Flagger's, and the
 * Deployment has no `spec.replicas`.
 */
export class Microservice extends Construct {
  constructor(scope: Construct, id: string, props: MicroserviceProps) {
    super(scope, id);
    const { service, cluster } = props;
    const engine = service.canary ? cluster?.progressive?.engine : undefined;
    if (service.serviceAccount.create) new ServiceIdentity(this, 'ServiceAccount', { service });
    if (Object.keys(service.config).length > 0) {
      new ServiceConfig(this, 'Config', { service, name: configMapName(service.name), data: service.config });
    }
    if (service.configFiles) {
      new ServiceConfig(this, 'Files', { service, name: filesConfigMapName(service.name), data: service.configFiles.files });
    }
    // Argo Rollouts owns the replica count through the Rollout; Flagger through the HPA.
    new ServiceDeployment(this, 'Deployment', { service, cluster, omitReplicas: engine !== undefined });
    if (service.ports.length > 0 && engine !== 'flagger') {
      // Linkerd reads retries and timeouts from the Service callers address (Flagger's apex Service when canaried).
      const annotations = cluster?.mesh === 'linkerd' ? linkerdTrafficAnnotations(service.traffic) : undefined;
      new ServicePorts(this, 'Service', { service, annotations });
    }
    // Extra Services select the same pods; check-model keeps them off Flagger-canaried services,
    // whose pods Flagger relabels.
    service.additionalServices.forEach((extra) => {
      new ServicePorts(this, `Service-${extra.name}`, {
        service,
        name: extra.name,
        type: extra.type,
        ports: extra.ports,
        annotations: extra.annotations,
        loadBalancerSourceRanges: extra.loadBalancerSourceRanges,
      });
    });
    if (service.autoscaling) {
      const target = engine === 'argo-rollouts' ? { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: service.name } : undefined;
      new ServiceAutoscaler(this, 'Autoscaler', { service, autoscaling: service.autoscaling, target });
    }
    if (service.disruptionBudget) new ServiceDisruptionBudget(this, 'DisruptionBudget', { service, budget: service.disruptionBudget, flaggerPrimary: service.canary !== undefined && cluster?.progressive?.engine === 'flagger' });
    new ServiceNetworkPolicy(this, 'NetworkPolicy', { service, cluster });
    if (cluster) this.renderClusterEntry(service, cluster, engine);
  }

  private renderClusterEntry(service: ResolvedService, cluster: ClusterContext, engine: 'flagger' | 'argo-rollouts' | undefined): void {
    const provider = cluster.progressive?.provider;
    const istio = cluster.ingress.controller === 'istio' || (engine === 'flagger' && provider === 'istio');
    let ingressName: string | undefined;
    if (service.ingress && !istio && !(engine === 'flagger' && provider === 'gatewayapi')) {
      if (cluster.ingress.controller === 'gateway-api') {
        new ServiceHttpRoute(this, 'HTTPRoute', { service, ingress: service.ingress, cluster });
      } else if (engine === 'flagger' && provider === 'traefik') {
        new CanaryIngressRoute(this, 'IngressRoute', { service, ingress: service.ingress });
      } else {
        // Points at `<name>`: the apex Service Flagger manages when canaried, ours otherwise.
        new ServiceIngress(this, 'Ingress', { service, ingress: service.ingress, cluster });
        ingressName = service.name;
      }
    }
    if (cluster.mesh === 'istio' && engine !== 'flagger' && (service.traffic || (service.ingress && istio))) {
      new ServiceVirtualService(this, 'VirtualService', { service });
    }
    if (engine === 'flagger' && service.canary) {
      new ServiceCanary(this, 'Canary', { service, canary: service.canary, cluster, ingressName: provider === 'nginx' ? ingressName : undefined });
    }
    if (engine === 'argo-rollouts' && service.canary) new ServiceRollout(this, 'Rollout', { service, canary: service.canary });
  }
}

/** A chart holding one Microservice, so its objects can be synthesised on their own. */
export class MicroserviceChart extends Chart {
  constructor(scope: Construct, id: string, props: MicroserviceProps) {
    super(scope, id, { disableResourceNameHashes: true });
    new Microservice(this, 'Microservice', props);
  }
}
