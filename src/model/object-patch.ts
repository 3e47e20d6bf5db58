/**
 * A per-environment patch on a generated object, for the field nobody modelled. The patched
 * object is what the overlay carries (as a computed JSON 6902 patch) and what validation, policy
 * and the secrets gate see.
 */

/** RFC 6902 operations (`test`, `move` and `copy` are not needed to set a field). */
export type JsonPatchOperation =
  | { readonly op: 'add' | 'replace'; readonly path: string; readonly value: unknown }
  | { readonly op: 'remove'; readonly path: string };

/** Which object of the service (or app) the patch applies to. */
export interface PatchTarget {
  /** e.g. `Deployment`, `CronJob`, `Service`, `HelmRelease`. */
  readonly kind: string;
  /** @default - the service's (or app's) name */
  readonly name?: string;
  /** Only needed when two rendered objects share kind and name in different API groups. @default - any */
  readonly apiVersion?: string;
}

/**
 * Either a strategic-merge patch (`merge`: maps merge; `null` removes a key; lists whose items
 * all have a `name` — containers, env, volumes, volumeMounts, ports — merge by name, an item
 * `{ name, $patch: 'delete' }` removes one; other lists are replaced) or JSON 6902 operations.
 *
 * @see https://kubernetes.io/docs/tasks/manage-kubernetes-objects/update-api-object-kubectl-patch/
 */
export type ObjectPatch =
  | { readonly target: PatchTarget; readonly merge: Readonly<Record<string, unknown>> }
  | { readonly target: PatchTarget; readonly jsonPatch: readonly JsonPatchOperation[] };
