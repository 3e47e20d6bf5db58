import type { GatewayApiSpec } from '../../../src/model/cluster';
import { miniFleet } from '../../support/fleet-fixtures';
import { findObject, microserviceObjects } from '../../support/chart-objects';

describe('Microservice', () => {
  it('renders the environment-neutral base (snapshot)', () => {
    // GIVEN a service with config, autoscaling and a caller-facing port
    const fleet = miniFleet({ service: { config: { MODE: 'x' }, autoscaling: { minReplicas: 2, maxReplicas: 5 } } });
    // WHEN its base is rendered, THEN no namespace, no tag, no Ingress
    const objects = microserviceObjects(fleet, false);
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'ServiceAccount/web',
      'ConfigMap/web-config',
      'Deployment/web',
      'Service/web',
      'HorizontalPodAutoscaler/web',
      'PodDisruptionBudget/web',
      'NetworkPolicy/web',
    ]);
    expect(objects).toMatchSnapshot();
  });

  it.each(['traefik', 'nginx', 'alb'] as const)('renders the Ingress for %s (snapshot)', (controller) => {
    const fleet = miniFleet({ cluster: { ingress: { controller } } });
    const ingress = findObject(microserviceObjects(fleet, true), 'Ingress');
    expect(ingress.spec.ingressClassName).toBe(controller);
    expect(ingress.spec.rules[0].host).toBe('web.shop.test');
    expect(ingress).toMatchSnapshot();
  });

  it('selects pods by one plain label, never a construct-path hash', () => {
    const objects = microserviceObjects(miniFleet(), true);
    const deployment = findObject(objects, 'Deployment');
    expect(deployment.spec.selector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'web' } });
    expect(findObject(objects, 'Service').spec.selector).toEqual({ 'app.kubernetes.io/name': 'web' });
    expect(JSON.stringify(objects)).not.toContain('cdk8s.io');
  });

  it('omits spec.replicas when an HPA owns the count', () => {
    const deployment = findObject(microserviceObjects(miniFleet({ service: { autoscaling: { minReplicas: 2, maxReplicas: 4 } } }), true), 'Deployment');
    expect(deployment.spec.replicas).toBeUndefined();
  });

  it('applies secure defaults, and relaxes one only with a reason that is shown', () => {
    const strict = findObject(microserviceObjects(miniFleet(), true), 'Deployment').spec.template;
    expect(strict.spec.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(strict.spec.containers[0].securityContext).toEqual({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true, runAsNonRoot: true });

    const relaxed = findObject(microserviceObjects(miniFleet({ service: { security: { allowWritableRootFilesystem: 'legacy PHP writes sessions to disk' } } }), true), 'Deployment').spec.template;
    expect(relaxed.spec.containers[0].securityContext.readOnlyRootFilesystem).toBe(false);
    expect(relaxed.metadata.annotations['fleet.gitops.dev/allow-writable-root-filesystem']).toBe('legacy PHP writes sessions to disk');
  });

  it('derives probes from the main port protocol', () => {
    const grpc = findObject(microserviceObjects(miniFleet({ service: { ports: [{ name: 'grpc', port: 9090, protocol: 'grpc' }], ingress: undefined } }), true), 'Deployment');
    expect(grpc.spec.template.spec.containers[0].readinessProbe).toEqual({ grpc: { port: 9090 } });
    const tcp = findObject(microserviceObjects(miniFleet({ service: { ports: [{ name: 'redis', port: 6379, protocol: 'tcp' }], ingress: undefined } }), true), 'Deployment');
    expect(tcp.spec.template.spec.containers[0].livenessProbe).toEqual({ tcpSocket: { port: 'redis' }, periodSeconds: 10 });
  });

  it('annotates the service account with IRSA and GKE identities', () => {
    const fleet = miniFleet({ service: { serviceAccount: { awsRoleArn: 'arn:aws:iam::1:role/web', gcpServiceAccount: 'web@p.iam.gserviceaccount.com' } } });
    expect(findObject(microserviceObjects(fleet, true), 'ServiceAccount').metadata.annotations).toEqual({
      'eks.amazonaws.com/role-arn': 'arn:aws:iam::1:role/web',
      'iam.gke.io/gcp-service-account': 'web@p.iam.gserviceaccount.com',
    });
  });

  it('opens the NetworkPolicy to the ingress controller namespace and labels pods for the mesh', () => {
    const traefik = microserviceObjects(miniFleet(), true);
    expect(findObject(traefik, 'NetworkPolicy').spec.ingress).toEqual([
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'traefik' } } }], ports: [{ port: 8080, protocol: 'TCP' }] },
    ]);
    const istio = microserviceObjects(miniFleet({ cluster: { mesh: 'istio', provider: 'gke' } }), true);
    expect(findObject(istio, 'Deployment').spec.template.metadata.labels['sidecar.istio.io/inject']).toBe('true');
    expect(findObject(istio, 'NetworkPolicy').spec.ingress[0].from[0].namespaceSelector.matchLabels['kubernetes.io/metadata.name']).toBe('istio-system');
  });

  it("admits the Gateway's data-plane namespace, which is the implementation's, not always the Gateway's", () => {
    // GIVEN HTTPRoutes to Gateway gateway-system/public
    const admitted = (gatewayApi?: GatewayApiSpec) => {
      const fleet = miniFleet({ cluster: { ingress: { controller: 'gateway-api', gateway: { name: 'public', namespace: 'gateway-system' } }, preinstalled: ['gateway-api'], gatewayApi } });
      return findObject(microserviceObjects(fleet, true), 'NetworkPolicy').spec.ingress[0].from[0].namespaceSelector.matchLabels['kubernetes.io/metadata.name'];
    };
    // THEN Envoy Gateway's proxies come from its controller namespace (its default ControllerNamespace mode)
    expect(admitted()).toBe('envoy-gateway-system');
    expect(admitted({ implementation: 'envoy-gateway' })).toBe('envoy-gateway-system');
    // Istio deploys <gateway>-istio in the Gateway's namespace
    expect(admitted({ implementation: 'istio' })).toBe('gateway-system');
    // and the platform can say where it runs them (e.g. Envoy Gateway's Gateway Namespace Mode)
    expect(admitted({ dataPlaneNamespace: 'gateway-system' })).toBe('gateway-system');
  });

  it('rolls pods when configuration changes, through a content hash', () => {
    const hash = (value: string) =>
      findObject(microserviceObjects(miniFleet({ service: { config: { MODE: value } } }), true), 'Deployment').spec.template.metadata.annotations['fleet.gitops.dev/config-hash'];
    expect(hash('a')).toMatch(/^[0-9a-f]{16}$/);
    expect(hash('a')).toBe(hash('a'));
    expect(hash('a')).not.toBe(hash('b'));
  });
});
