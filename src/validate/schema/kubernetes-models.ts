import type { AjvLikeError } from './schema-violation';

/**
 * Built-in Kubernetes kinds, validated with the validators that the `kubernetes-models` package
 * generates from the upstream Kubernetes OpenAPI document (ajv standalone code, one per kind).
 *
 * The package is loaded lazily, one kind at a time: a cluster uses a dozen kinds out of ~400,
 * and each kind pulls in its whole tree of generated modules.
 *
 * Version: kubernetes-models 4.x carries the Kubernetes 1.33 OpenAPI (its last CommonJS line;
 * 5.x is ES-module only and needs Node 22). Newer fields than that are reported as unknown.
 */

/** A model class as the package exports it: static apiVersion/kind and a validating prototype. */
export interface KubernetesModel {
  readonly apiVersion: string;
  readonly kind: string;
  readonly prototype: { validate(this: unknown): void };
}

/** Kubernetes 1.33: the OpenAPI document kubernetes-models 4.5 was generated from. */
export const KUBERNETES_MODELS_VERSION = '1.33';

const SAFE_SEGMENT = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/;
const SAFE_KIND = /^[A-Z][A-Za-z0-9]*$/;

const models = new Map<string, KubernetesModel | undefined>();

/** The model for a built-in kind, or undefined when the package has none (custom or unknown kinds). */
export function kubernetesModel(apiVersion: string, kind: string): KubernetesModel | undefined {
  const id = `${apiVersion}/${kind}`;
  if (!models.has(id)) models.set(id, loadModel(apiVersion, kind));
  return models.get(id);
}

function loadModel(apiVersion: string, kind: string): KubernetesModel | undefined {
  const modulePath = modulePathOf(apiVersion, kind);
  if (!modulePath) return undefined;
  let exported: unknown;
  try {
    exported = (require(modulePath) as Record<string, unknown>)[kind];
  } catch {
    return undefined;
  }
  // `apps/v1/DeploymentSpec` is a module too; only top-level kinds carry apiVersion and kind.
  if (typeof exported !== 'function') return undefined;
  const model = exported as unknown as KubernetesModel;
  return model.kind === kind && model.apiVersion === apiVersion ? model : undefined;
}

/** `apps/v1` + `Deployment` → `kubernetes-models/apps/v1/Deployment`; `v1` + `Pod` → `kubernetes-models/v1/Pod`. */
function modulePathOf(apiVersion: string, kind: string): string | undefined {
  const parts = apiVersion.split('/');
  if (parts.length > 2 || !parts.every((p) => SAFE_SEGMENT.test(p)) || !SAFE_KIND.test(kind)) return undefined;
  return `kubernetes-models/${parts.join('/')}/${kind}`;
}

/**
 * Runs the generated validator. Errors are returned, not thrown: the package signals failure by
 * throwing a ValidationError that carries ajv's error list.
 */
export function runModelValidator(model: KubernetesModel, data: unknown): readonly AjvLikeError[] {
  try {
    model.prototype.validate.call(data);
    return [];
  } catch (thrown) {
    const errors = (thrown as { errors?: unknown }).errors;
    if (Array.isArray(errors)) return errors as AjvLikeError[];
    throw thrown;
  }
}
