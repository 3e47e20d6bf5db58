import { Microservice } from '../charts/microservice/microservice';
import type { ClusterContext } from '../charts/microservice/cluster-context';
import { RawObjects, UserCharts, type ChartRenderTarget } from '../charts/custom/attached-charts';
import { ChartApp } from '../charts/custom/chart-app';
import { HelmAppRelease } from '../charts/helm-app/helm-app-release';
import { serviceLabels } from '../charts/labels';
import type { ClusterSpec } from '../model/cluster';
import { mergeValues, type ChartAppSpec } from '../model/custom-chart';
import type { EnvironmentSpec } from '../model/environment';
import type { FleetSpec, ServiceEntry } from '../model/fleet';
import { chartVersionIn, type HelmAppSpec } from '../model/helm-app';
import { appEntries, appNamespaceOf, type AppEntry } from '../model/apps';
import type { KubeObject } from '../model/kube-object';
import type { Problem } from '../model/problem';
import { applyGroupOf, environmentOf, type ResolvedService } from '../model/resolve';
import { applyObjectPatches } from './object-patches';
import { synthObjects } from './synth-objects';

/**
 * What an apps unit applies, whoever wrote it: a service (generated objects, its attached
 * charts, one-off objects, patches), a chart app (a user chart) or a Helm-chart app. Each is
 * rendered twice — environment-neutral into its base, and for a cluster — and the overlay
 * between the two is computed the same way for all of them (src/render/overlay.ts).
 */
export interface ComponentBase {
  /** What the base is computed from (its unit's input hash). */
  readonly input: unknown;
  readonly objects: () => readonly KubeObject[];
}

export interface UnitMember {
  readonly name: string;
  readonly namespace: string;
  readonly group?: string;
  /** The TypeScript file that declares it. */
  readonly definition: string;
  /** Flagger canaries among its objects: its unit's Kustomization health-checks them. */
  readonly canary: boolean;
  /** A service's resolved spec on this cluster (Jobs, canaries); undefined for apps. */
  readonly resolved?: ResolvedService;
  /** What the cluster rendering is computed from, besides the base. */
  readonly input: unknown;
  readonly render: () => { readonly objects: KubeObject[]; readonly problems: Problem[] };
}

/**
 * Kinds kustomize's namespace transformer leaves alone (cluster-scoped; kustomize
 * api/internal/konfig/builtinpluginconsts/namespace.go and the built-in cluster-scoped kinds).
 * Objects from users' charts get the unit's namespace in memory as kustomize gives it to them
 * in the build, so validation sees where they will live.
 */
const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  'Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'PersistentVolume', 'StorageClass', 'PriorityClass',
  'IngressClass', 'RuntimeClass', 'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'APIService', 'CSIDriver',
  'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'GatewayClass', 'ClusterIssuer',
]);

function inNamespace(objects: readonly KubeObject[], namespace: string): KubeObject[] {
  return objects.map((obj) =>
    obj.metadata.namespace !== undefined || CLUSTER_SCOPED_KINDS.has(obj.kind) ? obj : { ...obj, metadata: { ...obj.metadata, namespace } },
  );
}

function chartTarget(cluster: ClusterContext, environment: string): ChartRenderTarget {
  return { environment, cluster: { name: cluster.name, provider: cluster.provider, mesh: cluster.mesh } };
}

/** The objects of a service's base: generated ones and its attached charts without an environment. */
export function renderServiceBase(entry: ServiceEntry, resolved: ResolvedService): KubeObject[] {
  const charts = entry.service.charts ?? [];
  return synthObjects((scope) => {
    new Microservice(scope, resolved.name, { service: resolved });
    if (charts.length > 0) {
      new UserCharts(scope, `${resolved.name}-charts`, { owner: resolved.name, system: resolved.system, labels: serviceLabels(resolved.name, resolved.system), charts });
    }
  });
}

/** A service on a cluster: Microservice, attached charts, the environment's objects, then its patches. */
export function serviceMember(
  entry: ServiceEntry,
  resolved: ResolvedService,
  environment: EnvironmentSpec,
  context: ClusterContext,
): UnitMember {
  const override = environment.services?.[entry.service.name] ?? {};
  const charts = entry.service.charts ?? [];
  const objects = override.objects ?? [];
  const patches = override.patches ?? [];
  const name = entry.service.name;
  return {
    name,
    namespace: resolved.namespace as string,
    group: applyGroupOf(entry.service, environment),
    definition: entry.system.definition,
    canary: resolved.canary !== undefined,
    resolved,
    input: { resolved, objects, patches, charts: charts.map((chart) => ({ id: chart.id, values: chart.values, environments: chart.environments })) },
    render: () => {
      const rendered = synthObjects((scope) => {
        new Microservice(scope, name, { service: resolved, cluster: context });
        if (charts.length > 0) {
          new UserCharts(scope, `${name}-charts`, { owner: name, system: resolved.system, labels: serviceLabels(name, resolved.system), charts, target: chartTarget(context, environment.name) });
        }
        if (objects.length > 0) new RawObjects(scope, `${name}-objects`, { objects });
      });
      return applyObjectPatches(inNamespace(rendered, resolved.namespace as string), patches, name, { cluster: context.name, environment: environment.name, service: name, definition: entry.system.definition });
    },
  };
}

/** The base of an app (chart or Helm), rendered without an environment. */
export function appBase(entry: AppEntry): ComponentBase {
  let objects: readonly KubeObject[] | undefined;
  return { input: appInput(entry, undefined), objects: () => (objects ??= renderApp(entry, undefined, undefined, undefined)) };
}

/** The apps placed on a cluster (`ClusterSpec.apps`), as unit members; unknown names are model errors (checked before). */
export function appMembers(fleet: FleetSpec, cluster: ClusterSpec, context: ClusterContext): UnitMember[] {
  const entries = appEntries(fleet);
  return (cluster.apps ?? []).flatMap((name) => {
    const entry = entries.get(name);
    const environment = entry && environmentOf(entry.system, cluster.environment);
    if (!entry || !environment) return [];
    const namespaces = (app: string) => {
      const other = entries.get(app);
      const env = other && environmentOf(other.system, cluster.environment);
      return other && env ? appNamespaceOf(other, env) : undefined;
    };
    const patches = entry.app.environments?.[environment.name]?.patches ?? [];
    const namespace = appNamespaceOf(entry, environment);
    return [
      {
        name,
        namespace,
        group: entry.app.applyGroup,
        definition: entry.system.definition,
        canary: false,
        input: appInput(entry, environment.name),
        render: () => {
          const rendered = renderApp(entry, environment.name, context, (app) => {
            const ns = namespaces(app);
            return ns === namespace ? undefined : ns;
          });
          return applyObjectPatches(inNamespace(rendered, namespace), patches, name, { cluster: cluster.name, environment: environment.name, service: name, definition: entry.system.definition });
        },
      },
    ];
  });
}

function appInput(entry: AppEntry, environment: string | undefined): unknown {
  const app = entry.app;
  const env = environment !== undefined ? app.environments?.[environment] : undefined;
  return { kind: entry.kind, name: app.name, spec: JSON.stringify(app, (_key, value) => (typeof value === 'function' ? String(value) : value)), env, environment };
}

/**
 * One app's objects: for the base (`environment` undefined) or one cluster. `namespaceOf`
 * gives the namespace of a Helm dependency when it differs from the app's own.
 */
function renderApp(
  entry: AppEntry,
  environment: string | undefined,
  context: ClusterContext | undefined,
  namespaceOf: ((app: string) => string | undefined) | undefined,
): KubeObject[] {
  const labels = serviceLabels(entry.app.name, entry.system.name);
  if (entry.kind === 'helm') {
    const app: HelmAppSpec<unknown> = entry.app;
    const env = environment !== undefined ? app.environments?.[environment] : undefined;
    return synthObjects((scope) => {
      new HelmAppRelease(scope, app.name, {
        name: app.name,
        chart: app.chart,
        version: chartVersionIn(app, environment),
        values: mergeValues(app.values ?? {}, env?.values),
        labels,
        dependsOn: (app.dependsOn ?? []).map((name) => ({ name, namespace: namespaceOf?.(name) })),
        interval: app.interval,
        timeout: app.timeout,
        retries: app.retries,
      });
    });
  }
  const app: ChartAppSpec<unknown> = entry.app;
  const env = environment !== undefined ? app.environments?.[environment] : undefined;
  return synthObjects((scope) => {
    new ChartApp(scope, app.name, {
      name: app.name,
      system: entry.system.name,
      labels,
      chart: app.chart,
      values: mergeValues(app.values ?? {}, env?.values),
      target: context && environment !== undefined ? chartTarget(context, environment) : undefined,
      objects: env?.objects,
    });
  });
}
