import type { EnvironmentSpec } from './environment';
import type { SystemSpec } from './fleet';
import { error, warning, type Problem } from './problem';
import type { EnvValue, ServiceSpec } from './service';

/**
 * Variable references in environment values, `command` and `args`, as the kubelet expands them:
 * `$(VAR)` is replaced by the value of VAR when VAR is defined *earlier* in the container's
 * environment (envFrom first, then `env` in list order); `$$(VAR)` escapes to a literal
 * `$(VAR)`; anything else — `${VAR}`, `$(UNDEFINED)`, a variable defined later — stays as written.
 *
 * @see https://kubernetes.io/docs/tasks/inject-data-application/define-interdependent-environment-variables/
 * @see kubernetes/kubernetes third_party/forked/golang/expansion/expand.go (the kubelet's expander)
 */

/** Names referenced with `$(NAME)` in a value, honouring the `$$` escape. */
export function envReferences(value: string): string[] {
  const names: string[] = [];
  for (let i = 0; i < value.length; i++) {
    if (value[i] !== '$') continue;
    if (value[i + 1] === '$') {
      i++; // `$$` is an escaped `$`: what follows is literal
      continue;
    }
    if (value[i + 1] !== '(') continue;
    const end = value.indexOf(')', i + 2);
    if (end < 0) break;
    names.push(value.slice(i + 2, end));
    i = end;
  }
  return names;
}

/** Shell-style `${NAME}` references, which Kubernetes never expands. */
export function shellStyleReferences(value: string): string[] {
  return [...value.matchAll(/\$\{([^}]*)\}/g)].map((m) => m[1]);
}

type EnvEntry = readonly [string, EnvValue];

/**
 * The environment in an order the kubelet can expand: every variable after the variables its
 * `$(…)` references name, otherwise in the order written (a stable topological sort). Variables
 * in or behind a reference cycle keep their written order at the end; `checkEnvReferences`
 * reports them.
 */
export function orderEnvByReferences(entries: readonly EnvEntry[]): EnvEntry[] {
  const { ordered, unresolvable } = sortByReferences(entries);
  return [...ordered, ...unresolvable];
}

function sortByReferences(entries: readonly EnvEntry[]): { ordered: EnvEntry[]; unresolvable: EnvEntry[] } {
  const names = new Set(entries.map(([name]) => name));
  const dependsOn = new Map(entries.map(([name, value]) => [name, typeof value === 'string' ? envReferences(value).filter((ref) => names.has(ref) && ref !== name) : []]));
  const placed = new Set<string>();
  const ordered: EnvEntry[] = [];
  for (;;) {
    // The first variable (in written order) whose references are all placed: written order wins among ready ones.
    const next = entries.find(([name]) => !placed.has(name) && (dependsOn.get(name) ?? []).every((ref) => placed.has(ref)));
    if (!next) break;
    placed.add(next[0]);
    ordered.push(next);
  }
  return { ordered, unresolvable: entries.filter(([name]) => !placed.has(name)) };
}

/**
 * Every service's environment in every environment of its system: `${VAR}` that would reach the
 * process literally (the seed's `-Dspring.profiles.active=${SPRING_PROFILES_ACTIVE}`), `$(VAR)`
 * naming a variable the container does not have, and reference cycles. Findings that hold for the
 * service in every environment are reported once, without an environment.
 */
export function checkEnvReferences(system: SystemSpec, service: ServiceSpec): Problem[] {
  const base = envProblems(system, service, undefined);
  const seen = new Set(base.map(problemKey));
  const perEnvironment = system.environments.flatMap((environment) => envProblems(system, service, environment).filter((p) => !seen.has(problemKey(p))));
  const unique = new Map(perEnvironment.map((p) => [`${p.place.environment}|${problemKey(p)}`, p]));
  return [...base, ...unique.values()];
}

const problemKey = (p: Problem) => `${p.code}|${p.place.field}|${p.message}`;

function envProblems(system: SystemSpec, service: ServiceSpec, environment: EnvironmentSpec | undefined): Problem[] {
  const override = environment?.services?.[service.name];
  const env: EnvEntry[] = Object.entries({ ...service.env, ...override?.env });
  const fromConfig = Object.keys({ ...service.config, ...override?.config });
  const place = (field: string) => ({ service: service.name, field, definition: system.definition, ...(environment ? { environment: environment.name } : {}) });
  const available = new Set([...fromConfig, ...env.map(([name]) => name)]);
  const problems: Problem[] = [];

  const literals: [string, string][] = [
    ...env.filter((entry): entry is [string, string] => typeof entry[1] === 'string').map(([name, value]): [string, string] => [`env.${name}`, value]),
    ...(service.command ?? []).map((value, i): [string, string] => [`command[${i}]`, value]),
    ...(service.args ?? []).map((value, i): [string, string] => [`args[${i}]`, value]),
  ];
  for (const [field, value] of literals) {
    for (const name of shellStyleReferences(value)) {
      problems.push(
        warning(
          'model/shell-env-reference',
          place(field),
          `"\${${name}}" is shell syntax: Kubernetes does not expand it, so the process receives the text "\${${name}}"`,
          `write "$(${name})" — Kubernetes expands $(VAR) from the container's environment${available.has(name) ? '' : `, and ${name} must be one of its variables`}`,
        ),
      );
    }
    for (const name of envReferences(value)) {
      if (available.has(name)) continue;
      problems.push(
        warning(
          'model/undefined-env-reference',
          place(field),
          `"$(${name})" names no variable of the container (env or config), so Kubernetes leaves it as the text "$(${name})"`,
          `define ${name} in env or config, or write "$$(${name})" if the literal text is meant`,
        ),
      );
    }
  }
  const cycle = sortByReferences(env).unresolvable.map(([name]) => name).sort();
  if (cycle.length > 0) {
    problems.push(
      error(
        'model/env-reference-cycle',
        place(`env.${cycle[0]}`),
        `environment variables ${cycle.join(', ')} reference each other in a cycle (or depend on one), so the kubelet cannot expand them`,
        'break the cycle: let one of them hold a literal value',
      ),
    );
  }
  return problems;
}
