import type { Construct } from 'constructs';
import type { ObjectPatch } from './object-patch';

/**
 * Your own cdk8s code in the fleet: a function that adds constructs (cdk8s-plus, the typed
 * `k8s` API, imported CRDs, your own Construct classes) to a scope. It is called once without
 * an environment (the base in `dist/bases/`) and once per cluster it is placed on; the overlay
 * between the two is computed like a service's, and its objects are validated, policy-checked
 * and gated for plaintext Secrets like every generated object. See src/charts/custom/.
 */
export type ChartFunction<Values> = {
  // Method syntax: a chart of specific values is still a chart (parameters checked bivariantly),
  // so a system can list charts of different value types.
  render(scope: Construct, context: ChartContext<Values>): void;
}['render'];

export interface ChartContext<Values> {
  /** Name of the service or app the chart belongs to (prefix object names with it). */
  readonly name: string;
  /** The system that declares it. */
  readonly system: string;
  /** Environment rendered for; undefined in the environment-neutral base. */
  readonly environment?: string;
  /** Cluster rendered for; undefined in the base. */
  readonly cluster?: { readonly name: string; readonly provider: 'eks' | 'gke' | 'generic'; readonly mesh: 'none' | 'istio' | 'linkerd' };
  /** The chart's values, with this environment's values merged over them. */
  readonly values: Values;
  /** Labels to put on every object (name, part-of, managed-by), as generated objects carry. */
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * A plain object to render as it is, e.g. a one-off ResourceQuota. Typed loosely on purpose
 * (any kind, including custom resources); its schema is checked after rendering against the
 * cluster's Kubernetes version and the CRDs in `$FLEET_CRD_DIR`.
 */
export interface RawObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly labels?: Readonly<Record<string, string>>; readonly annotations?: Readonly<Record<string, string>> };
  readonly [field: string]: unknown;
}

/** A chart attached to a service: rendered next to the service's objects, in its overlay. */
export interface AttachedChart<Values = Readonly<Record<string, unknown>>> {
  /** Construct id, unique among the service's charts, e.g. `backup`. */
  readonly id: string;
  readonly chart: ChartFunction<Values>;
  /** Values every environment starts from (and the base is rendered with). */
  readonly values: Values;
  /**
   * Per environment: values merged over `values` (deep, objects only), or `false` to leave the
   * chart out of that environment.
   * @default - `values` everywhere
   */
  readonly environments?: Readonly<Record<string, Partial<Values> | false>>;
}

/**
 * An app that is only your own chart (and/or raw objects): no image, no generated workload.
 * It is placed on clusters by name in `ClusterSpec.apps`, applied in its namespace's Flux unit
 * (or its `applyGroup`'s), with its base in `dist/bases/<name>/` and an overlay per cluster.
 */
export interface ChartAppSpec<Values = Readonly<Record<string, unknown>>> {
  /** DNS-1035 label, unique among services and apps. */
  readonly name: string;
  /** @default - the environment's namespace */
  readonly namespace?: string;
  /** @default - the namespace's own Flux Kustomization */
  readonly applyGroup?: string;
  /** @default - no chart: only `environments[…].objects` */
  readonly chart?: ChartFunction<Values>;
  /** @default {} */
  readonly values?: Values;
  /** What one environment changes. */
  readonly environments?: Readonly<Record<string, AppEnvironment<Values>>>;
}

/** Per-environment additions of a chart app, and of a service (`ServiceOverride`). */
export interface AppEnvironment<Values> {
  /** Merged over the app's values (deep, objects only). @default - none */
  readonly values?: Partial<Values>;
  /** One-off objects rendered only in this environment. @default - none */
  readonly objects?: readonly RawObject[];
  /** Patches on the app's rendered objects in this environment. @default - none */
  readonly patches?: readonly ObjectPatch[];
}

/** Identity function that types a chart app's values from its chart. */
export function defineChartApp<Values>(app: ChartAppSpec<Values>): ChartAppSpec<Values> {
  return app;
}

/** Identity function that types an attached chart's values from its chart. */
export function attachChart<Values>(chart: AttachedChart<Values>): AttachedChart<Values> {
  return chart;
}

type Plain = Record<string, unknown>;

function isPlain(value: unknown): value is Plain {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Values of one environment: objects merge key by key, anything else (lists too) replaces. */
export function mergeValues<Values>(base: Values, override: Partial<Values> | undefined): Values {
  if (override === undefined) return base;
  if (!isPlain(base) || !isPlain(override)) return override as Values;
  const result: Plain = { ...base };
  for (const [key, value] of Object.entries(override)) {
    result[key] = isPlain(result[key]) && isPlain(value) ? mergeValues(result[key], value) : value;
  }
  return result as Values;
}
