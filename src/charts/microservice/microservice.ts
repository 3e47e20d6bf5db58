import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import type { ResolvedService } from '../../model/resolve';
import { ServiceAutoscaler } from './autoscaler';
import type { ClusterContext } from './cluster-context';
import { ServiceConfig } from './config-map';
import { ServiceDeployment } from './deployment';
import { ServiceDisruptionBudget } from './disruption-budget';
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
 * NetworkPolicy and, on a cluster, its Ingress. Each object is its own construct; this chart
 * only decides which exist.
 */
export class Microservice extends Construct {
  constructor(scope: Construct, id: string, props: MicroserviceProps) {
    super(scope, id);
    const { service, cluster } = props;
    new ServiceIdentity(this, 'ServiceAccount', { service });
    if (Object.keys(service.config).length > 0) {
      new ServiceConfig(this, 'Config', { service, name: configMapName(service.name), data: service.config });
    }
    if (service.configFiles) {
      new ServiceConfig(this, 'Files', { service, name: filesConfigMapName(service.name), data: service.configFiles.files });
    }
    new ServiceDeployment(this, 'Deployment', { service, cluster });
    if (service.ports.length > 0) new ServicePorts(this, 'Service', { service });
    if (service.autoscaling) new ServiceAutoscaler(this, 'Autoscaler', { service, autoscaling: service.autoscaling });
    if (service.disruptionBudget) new ServiceDisruptionBudget(this, 'DisruptionBudget', { service, budget: service.disruptionBudget });
    new ServiceNetworkPolicy(this, 'NetworkPolicy', { service, cluster });
    if (service.ingress && cluster) new ServiceIngress(this, 'Ingress', { service, ingress: service.ingress, cluster });
  }
}

/** A chart holding one Microservice, so its objects can be synthesised on their own. */
export class MicroserviceChart extends Chart {
  constructor(scope: Construct, id: string, props: MicroserviceProps) {
    super(scope, id, { disableResourceNameHashes: true });
    new Microservice(this, 'Microservice', props);
  }
}
