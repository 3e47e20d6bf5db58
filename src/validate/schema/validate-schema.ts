import type { KubeObject } from '../../model/kube-object';
import { error, type Problem } from '../../model/problem';
import { groupOf, isWellFormed } from '../cluster-index';
import { segmentsFromPointer } from '../field-path';
import { isRecord } from '../json';
import type { ValidationContext } from '../validation-context';
import type { CrdCatalog, CrdVersion } from './crd-catalog';
import { compileCrd } from './crd-validators';
import { learnFieldShape, unknownFields, type FieldShape } from './field-inventory';
import { KUBERNETES_MODELS_VERSION, kubernetesModel, runModelValidator, type KubernetesModel } from './kubernetes-models';
import { findSchemaSet, schemaFileName, versionedValidator, type KubernetesSchemaSet } from './kubernetes-schema-location';
import { removedApi } from './removed-apis';
import { schemaProblems } from './schema-problems';
import type { AjvLikeError, SchemaViolation } from './schema-violation';

/**
 * Schema validation of every object: built-in kinds against the JSON schemas of the cluster's
 * Kubernetes version when the schema directory has them (kubernetes-schema-location.ts), else the
 * Kubernetes OpenAPI via kubernetes-models; custom resources against their CRD's
 * `openAPIV3Schema`; all strict about unknown fields. Rules: `schema/invalid`,
 * `schema/unknown-kind`, `schema/removed-api`, `schema/crd-unreadable`,
 * `schema/crd-directory-missing`.
 */
export function checkSchemas(ctx: ValidationContext, catalog: CrdCatalog, objects: readonly unknown[]): Problem[] {
  const set = findSchemaSet(ctx.options.kubernetesSchemaDirectory, ctx.kubernetesVersion);
  const problems: Problem[] = catalog.directoryFound ? [] : [crdDirectoryMissing(ctx.options.crdDirectory)];
  problems.push(...catalog.unreadable.map((u) =>
    error(
      'schema/crd-unreadable',
      { cluster: ctx.cluster, field: u.file },
      `CRD file ${u.file} cannot be read: ${u.reason}.`,
      'Fix the YAML, or remove the file from the CRD directory; custom resources of its kinds are reported as unknown until then.',
    ),
  ));
  for (const obj of objects) problems.push(...checkObject(obj, ctx, catalog, set));
  return problems;
}

/**
 * A first run without the CRD directory (a fresh clone without ../shared/crds, or a mistyped
 * `FLEET_CRD_DIR`) would otherwise report every Flux, Flagger and Sealed Secrets object as an
 * unknown kind. It is one problem, with the fix; the custom resources are left unchecked.
 * Fleet-wide: it names no cluster, and validateFleet reports it once.
 */
export function crdDirectoryMissing(directory: string): Problem {
  return error(
    'schema/crd-directory-missing',
    { field: 'FLEET_CRD_DIR' },
    `The CRD directory ${directory} does not exist, so custom resources (Flux, Flagger, Sealed Secrets, …) cannot be validated.`,
    'Point FLEET_CRD_DIR at a directory of CustomResourceDefinition YAML files, e.g. `FLEET_CRD_DIR=/path/to/crds npm run synth` (default: ../shared/crds next to the project; see docs/validation.md).',
  );
}

/** Which schemas a cluster's built-in kinds are validated against, for reports. */
export function builtInSchemaSource(kubernetesSchemaDirectory: string | undefined, kubernetesVersion: string): string {
  const set = findSchemaSet(kubernetesSchemaDirectory, kubernetesVersion);
  return set ? `Kubernetes ${set.version} schemas in ${set.directory}` : `kubernetes-models (Kubernetes ${KUBERNETES_MODELS_VERSION} OpenAPI) and the removed-API table`;
}

/**
 * One line per schema source: `built-in kinds of staging, shop (1.31): kubernetes-models …`, so a
 * report says what "valid" meant for each cluster.
 */
export function describeSchemaSources(clusters: readonly { readonly name: string; readonly kubernetesVersion: string }[], kubernetesSchemaDirectory: string | undefined): string[] {
  const bySource = new Map<string, string[]>();
  for (const cluster of clusters) {
    const source = `${builtInSchemaSource(kubernetesSchemaDirectory, cluster.kubernetesVersion)}`;
    bySource.set(source, [...(bySource.get(source) ?? []), `${cluster.name} (${cluster.kubernetesVersion})`]);
  }
  return [...bySource].map(([source, names]) => `built-in kinds of ${names.join(', ')}: ${source}`);
}

function checkObject(obj: unknown, ctx: ValidationContext, catalog: CrdCatalog, set: KubernetesSchemaSet | undefined): Problem[] {
  if (!isWellFormed(obj)) {
    return [error('schema/invalid', { cluster: ctx.cluster }, `An object lacks apiVersion, kind or metadata.name: ${JSON.stringify(obj).slice(0, 120)}.`, 'Every rendered object needs apiVersion, kind and metadata.name.')];
  }
  if (ctx.kubernetesVersion) {
    const removed = removedApi(obj.apiVersion, obj.kind, ctx.kubernetesVersion);
    if (removed) {
      return [
        error(
          'schema/removed-api',
          ctx.placeOf(obj, 'apiVersion'),
          `${obj.apiVersion} ${obj.kind} is not served since Kubernetes ${removed.removedIn}; the cluster runs ${ctx.kubernetesVersion}.`,
          `Use ${removed.replacement}.`,
        ),
      ];
    }
  }
  const model = kubernetesModel(obj.apiVersion, obj.kind);
  if (set) {
    const versioned = checkVersioned(obj, ctx, set, model !== undefined);
    if (versioned) return versioned;
  } else if (model) {
    const data = withoutSopsEnvelope(obj);
    return schemaProblems(data, builtInViolations(model, data), ctx, `Kubernetes ${KUBERNETES_MODELS_VERSION} ${obj.apiVersion} ${obj.kind}`);
  }
  return checkCustomResource(obj, ctx, catalog);
}

/**
 * A built-in kind against the cluster version's own schema. Undefined for a kind that is neither
 * in that version nor in kubernetes-models: a custom resource, checked against its CRD.
 */
function checkVersioned(obj: KubeObject, ctx: ValidationContext, set: KubernetesSchemaSet, knownBuiltIn: boolean): Problem[] | undefined {
  const versioned = versionedValidator(set, obj.apiVersion, obj.kind);
  if (!versioned) {
    if (!knownBuiltIn) return undefined;
    return [
      error(
        'schema/unknown-kind',
        ctx.placeOf(obj, 'apiVersion'),
        `${obj.apiVersion} ${obj.kind} is not served by Kubernetes ${set.version}, which cluster ${ctx.cluster} runs (no ${schemaFileName(obj.apiVersion, obj.kind)} in ${set.directory}).`,
        `Use an apiVersion that Kubernetes ${set.version} serves for ${obj.kind}, or raise the cluster's kubernetesVersion once it is upgraded.`,
      ),
    ];
  }
  if (!versioned.ok) {
    return [error('schema/crd-unreadable', ctx.placeOf(obj), `The Kubernetes ${set.version} schema of ${obj.apiVersion} ${obj.kind} does not compile: ${versioned.reason}.`, `Replace ${schemaFileName(obj.apiVersion, obj.kind)} in ${set.directory}.`)];
  }
  const data = withoutSopsEnvelope(obj);
  const violations = versioned.validate(data) ? [] : (versioned.validate.errors ?? []).map(fromAjv);
  return schemaProblems(data, violations, ctx, `Kubernetes ${set.version} ${obj.apiVersion} ${obj.kind}`);
}

/**
 * A SOPS-encrypted Secret as the API server receives it: kustomize-controller removes the `sops`
 * block when it decrypts, and its `data` values are ENC[…] ciphertexts until then (keys kept).
 */
function withoutSopsEnvelope(obj: KubeObject): KubeObject {
  if (obj.kind !== 'Secret' || obj.apiVersion !== 'v1' || !('sops' in obj)) return obj;
  const { sops: _sops, data, ...rest } = obj as KubeObject & { sops: unknown; data?: Record<string, unknown> };
  return (data ? { ...rest, data: Object.fromEntries(Object.keys(data).map((key) => [key, ''])) } : rest) as KubeObject;
}

const shapes = new Map<KubernetesModel, FieldShape | undefined>();

/** The kind's field tree, learnt on first use (see field-inventory.ts). */
function fieldShapeOf(model: KubernetesModel): FieldShape | undefined {
  if (!shapes.has(model)) shapes.set(model, learnFieldShape((data) => runModelValidator(model, data)));
  return shapes.get(model);
}

function builtInViolations(model: KubernetesModel, obj: KubeObject): SchemaViolation[] {
  const violations = runModelValidator(model, obj).map(fromAjv);
  const shape = fieldShapeOf(model);
  return shape ? [...violations, ...unknownFields(obj, shape)] : violations;
}

function checkCustomResource(obj: KubeObject, ctx: ValidationContext, catalog: CrdCatalog): Problem[] {
  const group = groupOf(obj.apiVersion);
  const version = obj.apiVersion.slice(group.length + (group ? 1 : 0));
  const channel = inChannel(catalog.versionsOf(group, obj.kind), ctx.gatewayApiChannel);
  if (!channel.ok) return [channelMismatch(obj, ctx, channel.available)];
  const versions = channel.versions;
  const match = versions.find((v) => v.version === version && v.served);
  if (!match) {
    if (isAllowedWithoutSchema(obj, ctx.options.allowedKindsWithoutSchema)) return [];
    // Without the CRD directory, schema/crd-directory-missing has said it once for all of them.
    if (!catalog.directoryFound && versions.length === 0) return [];
    const served = versions.filter((v) => v.served).map((v) => `${group}/${v.version}`);
    const message = served.length
      ? `${obj.apiVersion} ${obj.kind} is not served by CRD ${versions[0].crdName}, which serves ${served.join(', ')}.`
      : `No schema for ${obj.apiVersion} ${obj.kind}: it is not a Kubernetes ${KUBERNETES_MODELS_VERSION} kind and no CRD in ${ctx.options.crdDirectory} or among the rendered objects defines it.`;
    const fix = served.length
      ? `Change apiVersion to ${served[served.length - 1]}.`
      : 'Check apiVersion and kind for typos, add the CRD to the CRD directory, or list the kind in allowedKindsWithoutSchema.';
    return [error('schema/unknown-kind', ctx.placeOf(obj, 'kind'), message, fix)];
  }
  const schemaName = `CRD ${match.crdName} ${match.version}`;
  const metadata = metadataViolations(obj);
  if (match.schema === undefined) return schemaProblems(obj, metadata, ctx, schemaName);
  const compiled = compileCrd(match);
  if (!compiled.ok) {
    return [error('schema/crd-unreadable', ctx.placeOf(obj), `The schema of CRD ${match.crdName} (${match.source}) does not compile: ${compiled.reason}.`, 'Fix or replace the CRD file.')];
  }
  const violations = compiled.validate(obj) ? [] : (compiled.validate.errors ?? []).map(fromAjv);
  return schemaProblems(obj, [...violations, ...metadata], ctx, schemaName);
}

type ChannelVersions = { readonly ok: true; readonly versions: readonly CrdVersion[] } | { readonly ok: false; readonly available: readonly string[] };

/**
 * The CRD versions of the cluster's Gateway API channel. Standard and experimental CRDs serve the
 * same group/version/kind with different schemas, so an object is checked against the channel
 * the cluster installed (a standard CRD prunes experimental fields; an experimental one would
 * accept them). CRDs without a channel annotation (every non-Gateway API CRD) fit any cluster.
 */
function inChannel(versions: readonly CrdVersion[], channel: string): ChannelVersions {
  const annotated = versions.filter((v) => v.channel !== undefined);
  if (annotated.length === 0) return { ok: true, versions };
  const matching = versions.filter((v) => v.channel === undefined || v.channel === channel);
  if (matching.length > 0) return { ok: true, versions: matching };
  return { ok: false, available: [...new Set(annotated.map((v) => v.channel as string))].sort() };
}

function channelMismatch(obj: KubeObject, ctx: ValidationContext, available: readonly string[]): Problem {
  return error(
    'schema/gateway-api-channel',
    ctx.placeOf(obj, 'apiVersion'),
    `Cluster ${ctx.cluster} runs the Gateway API ${ctx.gatewayApiChannel} channel, but the CRD directory ${ctx.options.crdDirectory} has ${obj.kind} only from the ${available.join(' and ')} channel, whose schema differs: ${obj.apiVersion} ${obj.kind} cannot be checked as the cluster would.`,
    `Add the ${ctx.gatewayApiChannel}-channel CRDs of the Gateway API release the cluster runs (config/crd/${ctx.gatewayApiChannel}/ of kubernetes-sigs/gateway-api) to the CRD directory, or correct the cluster's gatewayApi.channel.`,
  );
}

/**
 * CRD schemas declare `metadata` as a bare object; the API server validates it as ObjectMeta.
 * Unknown fields there (`metadata.label`) are found with the ObjectMeta shape of a built-in kind.
 */
function metadataViolations(obj: KubeObject): SchemaViolation[] {
  const configMap = kubernetesModel('v1', 'ConfigMap');
  const root = configMap && fieldShapeOf(configMap);
  const metadata = root?.kind === 'object' ? root.fields.get('metadata') : undefined;
  return metadata ? unknownFields(obj.metadata, metadata, ['metadata']) : [];
}

function fromAjv(e: AjvLikeError): SchemaViolation {
  const parent = isRecord(e.parentSchema) ? e.parentSchema : undefined;
  const allowed = e.keyword === 'additionalProperties' && parent && isRecord(parent.properties) ? Object.keys(parent.properties) : undefined;
  return { path: segmentsFromPointer(e.instancePath), keyword: e.keyword, params: e.params, message: e.message, allowed };
}

function isAllowedWithoutSchema(obj: KubeObject, allowed: readonly string[]): boolean {
  return allowed.some((entry) => entry === obj.kind || entry === `${obj.apiVersion}/${obj.kind}` || entry === `${groupOf(obj.apiVersion)}/${obj.kind}`);
}
