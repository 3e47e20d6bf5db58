import { checkFleet } from '../../src/model/check-model';
import type { ClusterSpec, CustomNetworkingSpec } from '../../src/model/cluster';
import { CHARTS } from '../../src/model/controller-versions';
import { KNOWN_CHART_SOURCES, checkChartSources } from '../../src/converge/chart-sources';
import { renderInfrastructure } from '../../src/render/infrastructure';
import { validateCluster } from '../../src/validate/validate-cluster';
import { miniFleet } from '../support/fleet-fixtures';

const AWS = { region: 'eu-west-1', accountId: '123456789012', vpcId: 'vpc-0123456789abcdef0' };
const NETWORKING: CustomNetworkingSpec = {
  subnets: { 'eu-west-1b': 'subnet-0123456789abcdef1', 'eu-west-1a': 'subnet-0123456789abcdef0' },
  securityGroups: ['sg-0123456789abcdef0'],
};

function cluster(aws: ClusterSpec['aws'], provider: ClusterSpec['provider'] = 'eks') {
  const fleet = miniFleet({ cluster: { aws, provider } });
  return { fleet, spec: fleet.clusters[0] };
}

describe('aws-node-termination-handler (seed 001: Spot instances and Node Termination Handler)', () => {
  it('renders the pinned eks-charts release in kube-system only when the EKS cluster asks for it', () => {
    const on = cluster({ ...AWS, nodeTerminationHandler: true });
    const objects = renderInfrastructure(on.fleet, on.spec).controllers;
    const release = objects.find((o) => o.kind === 'HelmRelease' && o.metadata.name === 'aws-node-termination-handler');
    expect(release?.metadata.namespace).toBe('kube-system');
    expect(release?.spec).toMatchObject({ chart: { spec: { chart: 'aws-node-termination-handler', version: CHARTS['aws-node-termination-handler'].version } }, values: { enableSpotInterruptionDraining: true } });
    const repository = objects.find((o) => o.kind === 'HelmRepository' && o.metadata.namespace === 'kube-system');
    expect(repository?.spec).toMatchObject({ url: 'https://aws.github.io/eks-charts' });
    // the converge layer knows the publisher: no converge/unpublished-chart finding
    expect(KNOWN_CHART_SOURCES['aws-node-termination-handler']).toBeDefined();
    expect(checkChartSources('stage', objects)).toEqual([]);

    const off = cluster(AWS);
    expect(renderInfrastructure(off.fleet, off.spec).controllers.some((o) => o.metadata.name === 'aws-node-termination-handler')).toBe(false);
    const gke = cluster({ ...AWS, nodeTerminationHandler: true }, 'gke');
    expect(renderInfrastructure(gke.fleet, gke.spec).plan.required).not.toContain('aws-node-termination-handler');
  });
});

describe('VPC CNI custom networking (seed 001: EKS integration with VPC using the CNI add-on)', () => {
  it('renders one ENIConfig per zone, named after the zone, in zone order', () => {
    const { fleet, spec } = cluster({ ...AWS, customNetworking: NETWORKING });
    const configs = renderInfrastructure(fleet, spec).configs.filter((o) => o.kind === 'ENIConfig');
    expect(configs.map((o) => [o.apiVersion, o.metadata.name, o.metadata.namespace])).toEqual([
      ['crd.k8s.amazonaws.com/v1alpha1', 'eu-west-1a', undefined],
      ['crd.k8s.amazonaws.com/v1alpha1', 'eu-west-1b', undefined],
    ]);
    expect(configs[0].spec).toEqual({ subnet: 'subnet-0123456789abcdef0', securityGroups: ['sg-0123456789abcdef0'] });
    expect(checkFleet(fleet)).toEqual([]);
  });

  it('renders no ENIConfig without custom networking', () => {
    const { fleet, spec } = cluster(AWS);
    expect(renderInfrastructure(fleet, spec).configs.filter((o) => o.kind === 'ENIConfig')).toEqual([]);
  });

  it('rejects malformed subnet and security group ids, zones outside the region, and an empty subnet map', () => {
    const bad = cluster({ ...AWS, customNetworking: { subnets: { 'us-east-1a': 'subnet-xyz', 'eu-west-1b': 'subnet-0123456789abcdef1' }, securityGroups: ['sg-nothex!'] } });
    const problems = checkFleet(bad.fleet).filter((p) => p.code === 'model/invalid-eni-config');
    expect(problems.map((p) => p.place.field).sort()).toEqual(['aws.customNetworking.securityGroups', 'aws.customNetworking.subnets.us-east-1a', 'aws.customNetworking.subnets.us-east-1a']);
    expect(problems.map((p) => p.message).join('\n')).toContain('not an availability zone of region eu-west-1');
    expect(problems.every((p) => p.fix.length > 0)).toBe(true);
    const empty = cluster({ ...AWS, customNetworking: { subnets: {} } });
    expect(checkFleet(empty.fleet).map((p) => p.code)).toEqual(['model/invalid-eni-config']);
  });

  it('knows ENIConfig as a kind on EKS (vpc-cni add-on CRD), and nowhere else', () => {
    const { fleet, spec } = cluster({ ...AWS, customNetworking: NETWORKING });
    const objects = renderInfrastructure(fleet, spec).configs;
    const unknownKinds = (provider?: 'eks' | 'gke') =>
      validateCluster({ cluster: 'stage', production: false, kubernetesVersion: '1.31', provider, objects }, { references: false }).filter((p) => p.code === 'schema/unknown-kind');
    expect(unknownKinds('eks')).toEqual([]);
    expect(unknownKinds('gke').length).toBeGreaterThan(0);
  });
});
