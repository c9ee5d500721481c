import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';

type Json = Record<string, any>;

/** The resolved manifests of a whole app, grouped once by namespace. */
export class AppManifests {
  private readonly byNamespace = new Map<string | undefined, Json[]>();

  /** @param all every resolved manifest of the app, in output order */
  constructor(public readonly all: readonly Json[]) {
    for (const manifest of all) {
      const namespace = manifest?.metadata?.namespace;
      const key = typeof namespace === 'string' ? namespace : undefined;
      let group = this.byNamespace.get(key);
      if (group === undefined) this.byNamespace.set(key, (group = []));
      group.push(manifest);
    }
  }

  /** The manifests whose `metadata.namespace` is `namespace`, in output order. */
  public inNamespace(namespace: string): readonly Json[] {
    return this.byNamespace.get(namespace) ?? [];
  }
}

/** A check of one construct against the resolved manifests of its whole app: returns error messages. */
export type ManifestCheck = (manifests: AppManifests) => string[];

interface DeferredCheck {
  readonly scope: IConstruct;
  readonly check: ManifestCheck;
}

/** Checks deferred by the synth running on each app (keyed by the app, the tree's root). */
const sessions = new WeakMap<IConstruct, DeferredCheck[]>();

/**
 * Adds a validation to `scope` that needs the resolved manifests of the whole app (e.g. a
 * namespace's quota against every workload in it).
 *
 * Under the library's synth (`synthApp`, `synthAppYaml`, `resolveApp`, `GuardrailsApp`), the check
 * runs once after every object is resolved, on the manifests the synth resolved anyway, so an app
 * with many such checks still resolves each object once. Elsewhere (stock `App.synth()`,
 * `Testing.synth`), it is an ordinary validation that resolves every object of the app itself.
 * Errors read the same either way: `Validation failed with the following errors:\n  [path] message`.
 */
export function addManifestCheck(scope: IConstruct, check: ManifestCheck): void {
  scope.node.addValidation({
    validate: () => {
      const deferred = sessions.get(scope.node.root);
      if (deferred !== undefined) {
        deferred.push({ scope, check });
        return [];
      }
      return check(new AppManifests(resolveAll(scope.node.root)));
    },
  });
}

/** Every ApiObject of the tree under `root`, resolved (what a validation outside the library's synth costs). */
function resolveAll(root: IConstruct): Json[] {
  return root.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject).map((o) => o.toJson());
}

/**
 * Collects the manifest checks of `root`'s constructs while its validations run, so the synth can
 * run them once on the manifests it resolves. `run` throws stock cdk8s's validation error when any
 * check fails; `end` stops collecting (call it in a `finally`).
 */
export class ManifestCheckSession {
  private readonly deferred: DeferredCheck[] = [];

  constructor(private readonly root: IConstruct) {
    sessions.set(root, this.deferred);
  }

  /** Runs every collected check once on `manifests` (the whole app's, resolved). */
  public run(manifests: readonly Json[]): void {
    this.end();
    if (this.deferred.length === 0) return;
    const app = new AppManifests(manifests);
    const errors: string[] = [];
    for (const { scope, check } of this.deferred) {
      for (const error of check(app)) errors.push(`[${scope.node.path}] ${error}`);
    }
    if (errors.length > 0) {
      // The message of a failed validation in stock `App.synth()` and `ConstructGraph.validate()`.
      throw new Error(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`);
    }
  }

  /** Stops deferring: checks of this app run as ordinary validations again. */
  public end(): void {
    if (sessions.get(this.root) === this.deferred) sessions.delete(this.root);
  }
}
