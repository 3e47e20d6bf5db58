import * as fs from 'node:fs';
import * as path from 'node:path';

/** Waivers per service: `{ flights: { 'policy/readiness-probe': 'batch consumer, no HTTP endpoint' } }`. */
export type Waivers = Readonly<Record<string, Readonly<Record<string, string>>>>;

/** How `validateCluster` finds schemas and which fleet limits it enforces. */
export interface ValidateOptions {
  /**
   * Root of the project, used to resolve the default CRD directory and Flux paths.
   * @default - process.cwd()
   */
  readonly projectRoot?: string;

  /**
   * Directory holding the CustomResourceDefinition YAML that custom resources are validated
   * against (read recursively, every `*.yaml` / `*.yml`), like a kubeconform schema location.
   * @default - `$FLEET_CRD_DIR`, else `<projectRoot>/../shared/crds`
   */
  readonly crdDirectory?: string;

  /**
   * Directory of per-version Kubernetes JSON schemas in kubeconform's layout
   * (`v1.31.4-standalone-strict/deployment-apps-v1.json`, as yannh/kubernetes-json-schema
   * publishes them). Each cluster's built-in kinds are validated against its own minor version's
   * newest patch there; a cluster whose version has no set falls back to kubernetes-models.
   * @default - `$FLEET_KUBERNETES_SCHEMA_DIR`, else none (kubernetes-models for every cluster)
   */
  readonly kubernetesSchemaDirectory?: string;

  /**
   * Kinds that may be rendered without any schema, as `group/version/Kind`, `apiVersion/Kind` or
   * just `Kind`. Everything else without a schema is a `schema/unknown-kind` error.
   * @default [] - an unknown kind usually means a typo or a missing CRD, not an intentional escape
   */
  readonly allowedKindsWithoutSchema?: readonly string[];

  /**
   * Namespaces that exist on every cluster without being rendered.
   * @default ['default', 'kube-system', 'kube-public', 'kube-node-lease'] - created by the API server
   * itself; `flux-system` is deliberately absent because it is rendered by bootstrap.
   */
  readonly knownNamespaces?: readonly string[];

  /**
   * Secrets that exist without being rendered (created by a controller, bootstrap or by hand), as
   * `namespace/name`. References to them are accepted; their keys are unknown.
   * @default [] - every referenced Secret must be rendered (Secret, sops Secret or SealedSecret)
   */
  readonly externalSecrets?: readonly string[];

  /**
   * Whether a Flux Kustomization `spec.path` exists in the repository Flux syncs.
   * @default - the path exists relative to `projectRoot`
   */
  readonly pathExists?: (repoPath: string) => boolean;

  /**
   * The most memory one container may request or be limited to (`policy/memory-ceiling`).
   * @default '64Gi' - the largest node type in the fleet; above it is a typo (`512Gi` for `512Mi`).
   */
  readonly memoryCeiling?: string;

  /**
   * The most CPU one container may request or be limited to (`policy/cpu-ceiling`).
   * @default '16' - cores; above it is a typo (`2000` for `2000m`).
   */
  readonly cpuCeiling?: string;

  /**
   * Rules waived per service, with the reason shown in reports. A waived finding is still reported,
   * marked `waived`, and does not count as an error. An empty reason is itself an error.
   * @default {}
   */
  readonly waivers?: Waivers;

  /**
   * The TypeScript file that defines each service, for `place.definition` when the rendered
   * objects carry no `fleet.gitops.dev/definition` annotation.
   * @default {}
   */
  readonly definitions?: Readonly<Record<string, string>>;

  /**
   * Run the cross-object reference checks. An incremental synth validates only the objects it
   * re-rendered, which cannot see the rest of the cluster, so it turns them off; `npm run check`
   * and a full synth always run them.
   * @default true
   */
  readonly references?: boolean;
}

/** `ValidateOptions` with every default filled in. */
export interface ResolvedValidateOptions {
  readonly projectRoot: string;
  readonly crdDirectory: string;
  readonly kubernetesSchemaDirectory?: string;
  readonly allowedKindsWithoutSchema: readonly string[];
  readonly knownNamespaces: readonly string[];
  readonly references: boolean;
  readonly externalSecrets: readonly string[];
  readonly pathExists: (repoPath: string) => boolean;
  readonly memoryCeiling: string;
  readonly cpuCeiling: string;
  readonly waivers: Waivers;
  readonly definitions: Readonly<Record<string, string>>;
}

export const DEFAULT_KNOWN_NAMESPACES: readonly string[] = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];
export const DEFAULT_MEMORY_CEILING = '64Gi';
export const DEFAULT_CPU_CEILING = '16';

/** The CRD directory: option, else `$FLEET_CRD_DIR`, else the shared CRDs next to the project. */
export function defaultCrdDirectory(projectRoot: string, env: NodeJS.ProcessEnv = process.env): string {
  return env.FLEET_CRD_DIR || path.resolve(projectRoot, '..', 'shared', 'crds');
}

export function resolveOptions(options: ValidateOptions = {}): ResolvedValidateOptions {
  const projectRoot = options.projectRoot ?? process.cwd();
  return {
    projectRoot,
    crdDirectory: options.crdDirectory ?? defaultCrdDirectory(projectRoot),
    kubernetesSchemaDirectory: options.kubernetesSchemaDirectory ?? (process.env.FLEET_KUBERNETES_SCHEMA_DIR || undefined),
    allowedKindsWithoutSchema: options.allowedKindsWithoutSchema ?? [],
    knownNamespaces: options.knownNamespaces ?? DEFAULT_KNOWN_NAMESPACES,
    references: options.references ?? true,
    externalSecrets: options.externalSecrets ?? [],
    pathExists: options.pathExists ?? ((repoPath) => fs.existsSync(path.resolve(projectRoot, repoPath))),
    memoryCeiling: options.memoryCeiling ?? DEFAULT_MEMORY_CEILING,
    cpuCeiling: options.cpuCeiling ?? DEFAULT_CPU_CEILING,
    waivers: options.waivers ?? {},
    definitions: options.definitions ?? {},
  };
}
