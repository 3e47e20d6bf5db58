import type { Obj } from './fixtures';

/**
 * Valid services for property and performance tests: a Deployment, its Service and its
 * ServiceAccount, all satisfying every rule. Parameters vary what a generator may vary.
 */
export interface ServiceShape {
  readonly name: string;
  readonly namespace: string;
  readonly replicas: number;
  readonly port: number;
  readonly portName: string;
  /** Refer to the target port by name rather than number. */
  readonly targetByName: boolean;
  readonly image: string;
  readonly cpu: string;
  readonly memoryMi: number;
  readonly extraLabels: Readonly<Record<string, string>>;
}

export function namespaceObject(name: string): Obj {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
}

export function serviceObjects(s: ServiceShape): Obj[] {
  const labels = { ...s.extraLabels, 'app.kubernetes.io/name': s.name };
  const meta = { name: s.name, namespace: s.namespace, labels };
  const probe = { tcpSocket: { port: s.portName } };
  const objects: Obj[] = [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta,
      spec: {
        replicas: s.replicas,
        selector: { matchLabels: { 'app.kubernetes.io/name': s.name } },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: s.name,
            securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [
              {
                name: 'app',
                image: s.image,
                ports: [{ name: s.portName, containerPort: s.port }],
                resources: { requests: { cpu: s.cpu, memory: `${s.memoryMi}Mi` }, limits: { memory: `${s.memoryMi}Mi` } },
                readinessProbe: probe,
                livenessProbe: probe,
                securityContext: { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
              },
            ],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta,
      spec: { selector: { 'app.kubernetes.io/name': s.name }, ports: [{ name: 'web', port: 80, targetPort: s.targetByName ? s.portName : s.port }] },
    },
  ];
  if (s.replicas > 1) {
    objects.push({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: meta, spec: { maxUnavailable: 1, selector: { matchLabels: { 'app.kubernetes.io/name': s.name } } } });
  }
  return objects;
}
