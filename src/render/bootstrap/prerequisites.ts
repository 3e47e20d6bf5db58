import { clusterContext } from '../../charts/microservice/cluster-context';
import type { ClusterSpec } from '../../model/cluster';
import type { InfrastructurePlan } from '../infrastructure';
import type { ClusterFacts } from './cluster-facts';
import type { GuideStep } from './guide-step';
import { fluxSecretSteps, platformComponents, platformSecretSteps } from './platform-steps';

/**
 * What a cluster must provide before `flux bootstrap`: its Kubernetes version, what its cloud
 * provider must have set up (IRSA roles, VPC, certificates, custom networking; GKE Workload
 * Identity), the StorageClasses rendered charts claim, the DNS zone, then what the platform
 * team runs (platform-steps.ts). Every value comes from the model or the rendered objects.
 */

/** `arn:aws:<service>:<region>:<account>:…` → the account, if the ARN names one. */
export function arnAccount(arn: string): string | undefined {
  return /^arn:aws[\w-]*:[\w-]+:[\w-]*:(\d{12}):/.exec(arn)?.[1];
}

function kubernetesVersion(cluster: ClusterSpec): GuideStep {
  const provider =
    cluster.provider === 'eks'
      ? [`aws eks describe-cluster --name ${cluster.name}${cluster.aws ? ` --region ${cluster.aws.region}` : ''} --query cluster.version --output text   # ${cluster.kubernetesVersion}`]
      : cluster.provider === 'gke'
        ? [`gcloud container clusters describe ${cluster.name} --format='value(currentMasterVersion)'   # ${cluster.kubernetesVersion}.x`]
        : [];
  return {
    title: `Kubernetes ${cluster.kubernetesVersion}`,
    text: [`The output is validated against the Kubernetes ${cluster.kubernetesVersion} API (\`kubernetesVersion\`); \`flux check --pre\` also checks Flux supports the server.`],
    commands: [...provider, 'kubectl version   # Server Version: v' + cluster.kubernetesVersion + '.x', 'flux check --pre'],
  };
}

/** EKS: the account, OIDC provider and IAM roles of IRSA, the VPC, the readiness gates. */
function eksSteps(cluster: ClusterSpec, facts: ClusterFacts, plan: InfrastructurePlan): GuideStep[] {
  const aws = cluster.aws;
  if (cluster.provider !== 'eks' || !aws) return [];
  const describe = `aws eks describe-cluster --name ${cluster.name} --region ${aws.region}`;
  const steps: GuideStep[] = [];
  if (facts.irsaRoles.length > 0) {
    steps.push({
      title: 'IAM roles for service accounts (IRSA)',
      text: [
        `The EKS cluster \`${cluster.name}\` in account \`${aws.accountId}\` (${aws.region}) has an IAM OIDC provider, and each role below exists with its controller's or service's policy and a trust policy for \`sts:AssumeRoleWithWebIdentity\` from that provider with the subject shown:`,
        '',
        '| role | trusted subject |',
        '|---|---|',
        ...facts.irsaRoles.map((b) => `| \`${b.identity}\` | \`system:serviceaccount:${b.namespace}:${b.serviceAccount}\` |`),
      ],
      commands: [
        `${describe} --query cluster.identity.oidc.issuer --output text`,
        `aws iam list-open-id-connect-providers   # one ends with the issuer's id`,
        ...facts.irsaRoles.map((b) => `aws iam get-role --role-name ${b.identity.split('/').pop()} --query Role.AssumeRolePolicyDocument`),
      ],
    });
  }
  if (plan.required.includes('aws-load-balancer-controller') && aws.vpcId) {
    steps.push({
      title: `VPC \`${aws.vpcId}\``,
      text: [`The AWS Load Balancer Controller is given the VPC id (\`aws.vpcId\`): pods cannot reach the instance metadata at IMDSv2's hop limit 1. It must be the cluster's VPC.`],
      commands: [`${describe} --query cluster.resourcesVpcConfig.vpcId --output text   # ${aws.vpcId}`],
    });
  }
  if (facts.readinessGateNamespaces.length > 0) {
    steps.push({
      title: 'ALB pod readiness gates',
      text: [
        `${facts.readinessGateNamespaces.length === 1 ? 'Namespace' : 'Namespaces'} ${facts.readinessGateNamespaces.map((n) => `\`${n}\``).join(', ')} ${facts.readinessGateNamespaces.length === 1 ? 'is' : 'are'} rendered with the label \`elbv2.k8s.aws/pod-readiness-gate-inject: enabled\` (ALB target type \`ip\`). The controller's webhook adds the gate only to pods created while it runs, so its ${plan.rendered.includes('aws-load-balancer-controller') ? 'HelmRelease (infra-controllers) is Ready before any app pod starts: the Kustomizations depend on it' : 'preinstalled deployment must be running before bootstrap'}.`,
      ],
      commands: facts.readinessGateNamespaces.map((n) => `kubectl get namespace ${n} -o jsonpath='{.metadata.labels.elbv2\\.k8s\\.aws/pod-readiness-gate-inject}'   # enabled`),
    });
  }
  const certificate = clusterContext(cluster).ingress.certificateArn;
  if (certificate) {
    const account = arnAccount(certificate);
    steps.push({
      title: 'ACM certificate for the ALB listeners',
      text: [
        `\`${certificate}\` is issued and covers the ingress hosts.${account && account !== aws.accountId ? ` It is in account \`${account}\`, not the cluster's \`${aws.accountId}\`: an ALB can only use a certificate of its own account.` : ''}`,
      ],
      commands: [`aws acm describe-certificate --certificate-arn ${certificate} --query Certificate.Status --output text   # ISSUED`],
    });
  }
  const networking = aws.customNetworking;
  if (networking && facts.eniConfigs.length > 0) {
    steps.push({
      title: 'VPC CNI custom networking',
      text: [
        `Pod subnets ${Object.entries(networking.subnets).sort(([a], [b]) => a.localeCompare(b)).map(([zone, subnet]) => `\`${subnet}\` (${zone})`).join(', ')} exist in the VPC, and the vpc-cni add-on reads the ENIConfigs by zone (the add-on owns \`aws-node\`, so this is not in Git). After infra-configs is Ready (it applies ENIConfigs ${facts.eniConfigs.map((n) => `\`${n}\``).join(', ')}), replace the nodes: a node picks its ENIConfig when it starts.`,
      ],
      commands: [
        `aws eks update-addon --cluster-name ${cluster.name} --region ${aws.region} --addon-name vpc-cni --configuration-values '{"env":{"AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG":"true","ENI_CONFIG_LABEL_DEF":"topology.kubernetes.io/zone"}}'`,
        `aws ec2 describe-subnets --region ${aws.region} --subnet-ids ${Object.keys(networking.subnets).sort().map((zone) => networking.subnets[zone]).join(' ')} --query 'Subnets[].[SubnetId,AvailabilityZone,VpcId]' --output text`,
      ],
    });
  }
  return steps;
}

/** GKE: Workload Identity on the cluster and a binding per Kubernetes ServiceAccount. */
function gkeSteps(cluster: ClusterSpec, facts: ClusterFacts): GuideStep[] {
  if (facts.workloadIdentities.length === 0) return [];
  const project = (email: string) => /@([^.]+)\.iam\.gserviceaccount\.com$/.exec(email)?.[1] ?? '<project>';
  return [
    {
      title: 'GKE Workload Identity',
      text: [
        `Workload Identity is enabled on \`${cluster.name}\` and its node pools, and each Google service account lets the Kubernetes ServiceAccount act as it:`,
        '',
        '| Google service account | Kubernetes ServiceAccount |',
        '|---|---|',
        ...facts.workloadIdentities.map((b) => `| \`${b.identity}\` | \`${b.namespace}/${b.serviceAccount}\` |`),
      ],
      commands: [
        `gcloud container clusters describe ${cluster.name} --format='value(workloadIdentityConfig.workloadPool)'   # <project>.svc.id.goog`,
        ...facts.workloadIdentities.map((b) => `gcloud iam service-accounts add-iam-policy-binding ${b.identity} --role=roles/iam.workloadIdentityUser --member='serviceAccount:${project(b.identity)}.svc.id.goog[${b.namespace}/${b.serviceAccount}]'`),
      ],
    },
  ];
}

/** An ingress controller on fixed node ports sits behind a load balancer made outside the cluster. */
function nodePortStep(cluster: ClusterSpec): GuideStep[] {
  const ports = cluster.ingress.nodePorts;
  if (!ports) return [];
  const list = [`HTTP on node port ${ports.http}`, ...(ports.https !== undefined ? [`HTTPS on node port ${ports.https}`] : [])];
  return [
    {
      title: 'The load balancer in front of the nodes',
      text: [
        `The ${cluster.ingress.controller} Service is a NodePort (\`ingress.nodePorts\`): no load balancer is made from the cluster. The one made outside it forwards ${list.join(' and ')} of every worker node, and the nodes' security group or firewall admits those ports from it.`,
      ],
      commands: [`kubectl get services -A --field-selector spec.type=NodePort   # ${[ports.http, ...(ports.https !== undefined ? [ports.https] : [])].join(', ')}`],
    },
  ];
}

/** The StorageClass every volume a rendered chart claims needs. */
function storageSteps(facts: ClusterFacts): GuideStep[] {
  return facts.volumeClaims.map(({ release, storageClass }) => ({
    title: storageClass ? `StorageClass \`${storageClass}\`` : 'A default StorageClass',
    text: [
      storageClass
        ? `HelmRelease \`${release}\` claims a volume of class \`${storageClass}\` (\`storageClassName\`): the class exists with a provisioner that can create it (on EKS, the Amazon EBS CSI driver add-on).`
        : `HelmRelease \`${release}\` claims a volume without a class: the cluster marks one StorageClass \`(default)\`.`,
    ],
    commands: [storageClass ? `kubectl get storageclass ${storageClass}` : 'kubectl get storageclass   # one is (default)'],
  }));
}

function dnsStep(cluster: ClusterSpec, plan: InfrastructurePlan): GuideStep[] {
  const zone = cluster.aws?.dnsZone;
  if (!zone || !plan.required.includes('external-dns')) return [];
  return [
    {
      title: `Route 53 zone \`${zone}\``,
      text: [`ExternalDNS writes the ingress hosts' records into the hosted zone \`${zone}\` (\`aws.dnsZone\`)${cluster.aws ? ` of account \`${cluster.aws.accountId}\`` : ''}.`],
      commands: [`aws route53 list-hosted-zones-by-name --dns-name ${zone} --max-items 1 --query 'HostedZones[].Name'`],
    },
  ];
}

/** Everything the cluster must provide before `flux bootstrap`, in the order to set it up. */
export function prerequisiteSteps(cluster: ClusterSpec, facts: ClusterFacts, plan: InfrastructurePlan): GuideStep[] {
  return [
    kubernetesVersion(cluster),
    ...eksSteps(cluster, facts, plan),
    ...gkeSteps(cluster, facts),
    ...nodePortStep(cluster),
    ...storageSteps(facts),
    ...dnsStep(cluster, plan),
    ...platformComponents(cluster, facts, plan),
    ...platformSecretSteps(cluster, facts),
    ...fluxSecretSteps(facts),
  ];
}
