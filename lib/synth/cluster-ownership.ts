import { ApiObject, App } from 'cdk8s';
import { GuardrailError } from '../common/errors';

/** One deployment target of a cluster: an App whose output one GitOps application syncs. */
export interface ClusterTarget {
  /** The target's name in messages, e.g. its output folder `alibaba/production`. */
  readonly name: string;
  /** The app. */
  readonly app: App;
}

/** An object two targets of one cluster both emit. */
export interface SharedObject {
  /** `ConfigMap kube-system/acr-configuration` (group-qualified for non-core kinds). */
  readonly object: string;
  /** The two owners: target name and construct path. */
  readonly owners: readonly [{ target: string; path: string }, { target: string; path: string }];
}

/**
 * The objects that two targets deployed to the same cluster both emit (same group, kind,
 * namespace and name). Each such object would have two owners: with server-side apply one field
 * manager per target, whichever syncs last wins, or the apply fails with a conflict.
 */
export function findSharedObjects(targets: readonly ClusterTarget[]): SharedObject[] {
  const seen = new Map<string, { target: string; path: string }>();
  const shared: SharedObject[] = [];
  for (const { name, app } of targets) {
    for (const obj of app.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject)) {
      const json = obj.toJson();
      const group = String(json.apiVersion).includes('/') ? `.${String(json.apiVersion).split('/')[0]}` : '';
      const ns = json.metadata?.namespace;
      const key = `${json.kind}${group} ${ns ? `${ns}/` : ''}${json.metadata?.name}`;
      const owner = { target: name, path: obj.node.path };
      const first = seen.get(key);
      if (first === undefined) seen.set(key, owner);
      else if (first.target !== name) shared.push({ object: key, owners: [first, owner] });
    }
  }
  return shared;
}

/**
 * Throws when two targets of cluster `cluster` emit the same object, naming both targets and
 * both construct paths. Put such an object in the cluster's baseline, once, instead.
 */
export function checkOneOwnerPerObject(cluster: string, targets: readonly ClusterTarget[]): void {
  const shared = findSharedObjects(targets);
  if (shared.length === 0) return;
  throw new GuardrailError(`Cluster ${JSON.stringify(cluster)}: ${shared.map(({ object, owners: [a, b] }) =>
    `${object} is emitted by both '${a.target}' ('${a.path}') and '${b.target}' ('${b.path}')`).join('; ')}; `
    + 'every object of a cluster needs one owner: emit it once, from the cluster baseline (listing what each environment needs), not from each environment.');
}
