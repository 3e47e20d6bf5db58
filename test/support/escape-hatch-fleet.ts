import { k8s } from 'cdk8s-plus-27';
import { namespaceGuardrails } from '../../src/charts/custom/examples/namespace-guardrails';
import { attachChart, defineChartApp, type ChartFunction } from '../../src/model/custom-chart';
import type { FleetSpec } from '../../src/model/fleet';
import { defineHelmApp } from '../../src/model/helm-app';
import type { ServiceOverride } from '../../src/model/environment';
import { miniFleet } from './fleet-fixtures';

/** A user chart: one ConfigMap whose content comes from typed values. */
export const settingsChart: ChartFunction<{ readonly level: string; readonly features: { readonly search: boolean; readonly beta?: boolean } }> = (scope, { name, labels, values, environment }) => {
  new k8s.KubeConfigMap(scope, 'Settings', {
    metadata: { name: `${name}-settings`, labels: { ...labels } },
    data: { level: values.level, search: `${values.features.search}`, beta: `${values.features.beta ?? false}`, environment: environment ?? 'any' },
  });
};

const debugChart: ChartFunction<Record<string, never>> = (scope, { name }) => {
  new k8s.KubeConfigMap(scope, 'Debug', { metadata: { name: `${name}-debug` }, data: { verbose: 'true' } });
};

/**
 * Every escape hatch on one cluster: charts attached to a service (one left out of staging),
 * a one-off object and patches in the environment's override, a chart app of the namespace, and
 * Helm-chart apps from a Helm repository, an OCI registry and a chart directory of this repository.
 */
export function escapeHatchFleet(override: ServiceOverride = {}): FleetSpec {
  const base = miniFleet();
  const system = base.systems[0];
  return {
    ...base,
    systems: [
      {
        ...system,
        services: [
          {
            ...system.services[0],
            charts: [
              attachChart({ id: 'settings', chart: settingsChart, values: { level: 'info', features: { search: true } }, environments: { staging: { features: { search: true, beta: true } } } }),
              attachChart({ id: 'debug', chart: debugChart, values: {}, environments: { staging: false } }),
            ],
          },
        ],
        charts: [defineChartApp({ name: 'guardrails', chart: namespaceGuardrails, values: { requestsCpu: '2', requestsMemory: '4Gi' }, environments: { staging: { values: { requestsCpu: '4' } } } })],
        helmApps: [
          defineHelmApp({ name: 'redis', chart: { helmRepository: 'https://charts.example.test', name: 'redis', version: '19.6.4' }, values: { replica: { replicaCount: 1 } }, environments: { staging: { version: '19.6.5', values: { replica: { replicaCount: 2 } } } } }),
          defineHelmApp({ name: 'podinfo', chart: { ociRepository: 'oci://ghcr.io/stefanprodan/charts', name: 'podinfo', version: '6.7.1' }, dependsOn: ['redis'] }),
          defineHelmApp({ name: 'loadgenerator', chart: { path: 'helm/loadgenerator' }, values: { users: 5 }, dependsOn: ['podinfo'] }),
        ],
        environments: [
          {
            ...system.environments[0],
            services: {
              web: {
                tag: '1.0.0',
                objects: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web-maintenance' }, data: { 'index.html': '<h1>back soon</h1>' } }],
                patches: [
                  { target: { kind: 'Deployment' }, merge: { spec: { template: { metadata: { annotations: { 'example.com/scrape': 'true' } } } } } },
                  { target: { kind: 'Service' }, jsonPatch: [{ op: 'add', path: '/spec/sessionAffinity', value: 'ClientIP' }] },
                ],
                ...override,
              },
            },
          },
        ],
      },
    ],
    clusters: [{ ...base.clusters[0], apps: ['guardrails', 'redis', 'podinfo', 'loadgenerator'] }],
  };
}
