import type { KubeObject } from '../../../src/model/kube-object';

/**
 * Crafted before/after objects, one pair (or a lone object) per risk class, shared by the pure
 * diff tests and the on-disk tree test.
 */
export const NS = 'shop';
export const SECRET_VALUES = ['c3VwZXJzZWNyZXQ=', 'bmV3LXNlY3JldA==', 'YWRtaW4=', 'AgBy3i4OJSWK+PiTySYZZA9rO43cGDEq', 'AgCX9cLJ2nU0xk7sDVvZ', 'ENC[AES256_GCM,data:Zm9v,iv:aXY=,tag:dGFn,type:str]', 'ENC[AES256_GCM,data:YmFy,iv:aXY=,tag:dGFn,type:str]'];

export function deployment(image: string, options: { replicas?: number; memory?: string; selector?: string } = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: NS, labels: { app: 'web' } },
    spec: {
      replicas: options.replicas ?? 2,
      selector: { matchLabels: { app: options.selector ?? 'web' } },
      template: {
        metadata: { labels: { app: options.selector ?? 'web' } },
        spec: {
          containers: [
            {
              name: 'web',
              image,
              env: [{ name: 'MODE', value: 'live' }],
              resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: options.memory ?? '256Mi' } },
            },
          ],
        },
      },
    },
  };
}

export function service(type: string, clusterIP: string): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: NS }, spec: { type, clusterIP, selector: { app: 'web' }, ports: [{ name: 'http', port: 80 }] } };
}

export function job(command: string): KubeObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'migrate', namespace: NS },
    spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'migrate', image: 'example/web:1.0.0', command: [command] }] } } },
  };
}

export function roleBinding(role: string): KubeObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'developers', namespace: NS },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'shop-developers' }],
  };
}

export function claim(storage: string, storageClassName: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: 'data', namespace: NS },
    spec: { accessModes: ['ReadWriteOnce'], storageClassName, resources: { requests: { storage } } },
  };
}

export function secret(data: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: NS }, type: 'Opaque', data };
}

export function sealedSecret(encryptedData: Record<string, string>): KubeObject {
  return { apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret', metadata: { name: 'api-keys', namespace: NS }, spec: { encryptedData, template: { metadata: { name: 'api-keys' } } } };
}

export function sopsSecret(value: string, lastmodified: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'sops-db', namespace: NS },
    stringData: { password: value },
    sops: { lastmodified, mac: `ENC[AES256_GCM,data:${lastmodified},iv:aXY=,tag:dGFn,type:str]`, version: '3.9.0' },
  };
}

export function configMap(name: string, data: Record<string, string>, immutable?: boolean): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: NS }, ...(immutable ? { immutable } : {}), data };
}

export function autoscaler(min: number, max: number): KubeObject {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web', namespace: NS },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: min, maxReplicas: max },
  };
}

/** Before and after of a cluster where every risk class occurs. */
export function riskyCluster(): { before: KubeObject[]; after: KubeObject[] } {
  return {
    before: [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } },
      deployment('example/web:1.0.0'),
      service('ClusterIP', '10.0.0.10'),
      job('migrate'),
      roleBinding('view'),
      claim('1Gi', 'gp2'),
      secret({ password: SECRET_VALUES[0], user: SECRET_VALUES[2] }),
      sealedSecret({ token: SECRET_VALUES[3] }),
      sopsSecret(SECRET_VALUES[5], '2024-01-01T00:00:00Z'),
      configMap('legacy', { MODE: 'old' }),
      configMap('frozen', { MODE: 'a' }, true),
      autoscaler(2, 5),
    ],
    after: [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } },
      deployment('example/web:1.1.0', { replicas: 3, memory: '512Mi', selector: 'web-v2' }),
      service('NodePort', '10.0.0.11'),
      job('migrate --all'),
      roleBinding('edit'),
      claim('2Gi', 'gp3'),
      secret({ password: SECRET_VALUES[1], admin: SECRET_VALUES[2] }),
      sealedSecret({ token: SECRET_VALUES[4] }),
      sopsSecret(SECRET_VALUES[6], '2024-02-01T00:00:00Z'),
      configMap('frozen', { MODE: 'b' }, true),
      configMap('added', { MODE: 'new' }),
      autoscaler(3, 5),
    ],
  };
}
