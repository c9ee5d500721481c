/** One object kubernetes-models found invalid, or of a kind it does not know. */
export interface KubernetesModelProblem {
  /** `<apiVersion> <kind> <name>`. */
  readonly object: string;
  readonly errors: string[];
}

type ModelClass = new (object: unknown) => { validate(): void };

/** Group/version modules by apiVersion (undefined: kubernetes-models has none). */
const MODULES = new Map<string, Record<string, ModelClass> | undefined>();

function modelsOf(apiVersion: string): Record<string, ModelClass> | undefined {
  if (!MODULES.has(apiVersion)) {
    let loaded: Record<string, ModelClass> | undefined;
    // Only names that are a group/version path, never `..` or an absolute path.
    if (/^([a-z0-9.-]+\/)?v[0-9a-z]+$/.test(apiVersion)) {
      try {
        // One group/version module at a time (its CommonJS build): the whole package takes seconds to load.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        loaded = require(`kubernetes-models/${apiVersion}`);
      } catch {
        loaded = undefined;
      }
    }
    MODULES.set(apiVersion, loaded);
  }
  return MODULES.get(apiVersion);
}

/**
 * Validates built-in Kubernetes objects against the API's OpenAPI schemas with kubernetes-models,
 * in this process. Returns the invalid objects, and those of kinds it does not know.
 */
export function kubernetesModelProblems(objects: readonly any[]): KubernetesModelProblem[] {
  const problems: KubernetesModelProblem[] = [];
  for (const object of objects) {
    const name = `${object.apiVersion} ${object.kind} ${object.metadata?.name}`;
    const Model = modelsOf(String(object.apiVersion))?.[object.kind];
    if (Model === undefined) {
      problems.push({ object: name, errors: ['unknown kind'] });
      continue;
    }
    try {
      new Model(object).validate();
    } catch (error) {
      problems.push({ object: name, errors: [String((error as Error).message ?? error)] });
    }
  }
  return problems;
}
