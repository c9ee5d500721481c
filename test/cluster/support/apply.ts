/**
 * What `npm run test:cluster` does with a server from kube-server.ts: install the vendored CRDs,
 * apply a `dist/` folder with server-side apply under one field manager, read every object back,
 * and turn pod templates into Pods for PodSecurity admission. Every function throws with the
 * server's own message when the server refuses something.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { KubeServer } from './kube-server';
import { parseQuantity } from '../../../lib/common/quantity';

export const REPO_ROOT = resolve(__dirname, '..', '..', '..');

/** One object of a manifest file. */
export type Manifest = Record<string, any>;

/** The objects of every `*.yaml` file under `path` (a file or a folder), skipping kustomization.yaml. */
export function readManifests(path: string): Manifest[] {
  return yamlFiles(path).flatMap((file) => parseAllDocuments(readFileSync(file, 'utf8'))
    .map((d) => d.toJS() as Manifest)
    .filter((o) => o && typeof o === 'object' && o.kind));
}

/** The `*.yaml` files under `path`, sorted, without kustomization.yaml. */
export function yamlFiles(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path).sort().flatMap((name) => {
    const full = join(path, name);
    if (statSync(full).isDirectory()) return yamlFiles(full);
    return /\.ya?ml$/.test(name) && name !== 'kustomization.yaml' ? [full] : [];
  });
}

/** `Kind namespace/name` (or `Kind name`) of an object, for messages. */
export function objectRef(o: Manifest): string {
  return `${o.kind} ${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name}`;
}

/** A CRD file the server refused. */
export interface RejectedCrd {
  /** The file, relative to the repository root (`crds/calico/projectcalico.org_networkpolicies.yaml`). */
  readonly file: string;
  /** The server's message. */
  readonly message: string;
}

/**
 * Applies every CRD file of `crds/` (server-side, field manager `crds`) and waits until the
 * accepted ones are Established. Returns the files the server refused with its message; the
 * caller decides which refusals are expected.
 */
export function installVendoredCrds(server: KubeServer, crdRoot = join(REPO_ROOT, 'crds')): { installed: string[]; rejected: RejectedCrd[] } {
  const files = yamlFiles(crdRoot);
  // One kubectl run for all files; only when the server refuses some, one run per file to tell which.
  const all = server.kubectl(['apply', '--server-side', '--field-manager=crds', ...files.flatMap((f) => ['-f', f])], { allowFailure: true });
  const installed: string[] = [];
  const rejected: RejectedCrd[] = [];
  for (const file of files) {
    const rel = relative(REPO_ROOT, file);
    const res = all.code === 0 ? all : server.kubectl(['apply', '--server-side', '--field-manager=crds', '-f', file], { allowFailure: true });
    if (res.code === 0) installed.push(rel); else rejected.push({ file: rel, message: res.stderr.trim() });
  }
  waitEstablished(server, installed.flatMap((f) => readManifests(join(REPO_ROOT, f))));
  return { installed, rejected };
}

/**
 * Gatekeeper's template -> CRD step, emulated for tests: the CRD of the constraint kind each
 * ConstraintTemplate declares (`constraints.gatekeeper.sh/v1beta1`, cluster-scoped, its
 * `spec.parameters` typed by the template's schema), as Gatekeeper's controller would create it.
 */
export function constraintCrdsFor(templates: readonly Manifest[]): Manifest[] {
  return templates.filter((t) => t.kind === 'ConstraintTemplate').map((t) => {
    const kind: string = t.spec.crd.spec.names.kind;
    const plural = kind.toLowerCase();
    const parameters = t.spec.crd.spec.validation?.openAPIV3Schema ?? { 'type': 'object', 'x-kubernetes-preserve-unknown-fields': true };
    const schema = {
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          properties: {
            enforcementAction: { type: 'string' },
            match: { 'type': 'object', 'x-kubernetes-preserve-unknown-fields': true },
            parameters,
          },
        },
        status: { 'type': 'object', 'x-kubernetes-preserve-unknown-fields': true },
      },
    };
    return {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: `${plural}.constraints.gatekeeper.sh` },
      spec: {
        group: 'constraints.gatekeeper.sh',
        scope: 'Cluster',
        names: { kind, plural, listKind: `${kind}List`, singular: plural, categories: ['constraint', 'constraints'] },
        versions: [{ name: 'v1beta1', served: true, storage: true, schema: { openAPIV3Schema: schema }, subresources: { status: {} } }],
      },
    };
  });
}

/**
 * Objects as one JSON `List` for kubectl's stdin. JSON, not YAML: kubectl reads YAML 1.1, where a
 * re-serialized `yes` would turn into a boolean.
 */
export function asList(objects: readonly Manifest[]): string {
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects });
}

/**
 * Applies objects (server-side, one field manager); throws with the server's message on any
 * refusal. Returns the warnings the server sent back (deprecated API versions, fields it ignores),
 * as kubectl prints them: `Warning: ...`.
 */
export function applyObjects(server: KubeServer, objects: readonly Manifest[], fieldManager: string, what: string): string[] {
  if (objects.length === 0) return [];
  const res = server.kubectl(['apply', '--server-side', `--field-manager=${fieldManager}`, '-f', '-'], { input: asList(objects), allowFailure: true });
  if (res.code !== 0) {
    throw new Error(`${what}: Kubernetes ${server.version} refused an object (field manager ${fieldManager}):\n${res.stderr.trim()}`);
  }
  return res.stderr.split('\n').map((line) => line.trim()).filter((line) => line.startsWith('Warning:'));
}

/** Waits until the named CRDs are Established. */
export function waitEstablished(server: KubeServer, crds: readonly Manifest[]): void {
  if (crds.length > 0) server.kubectl(['wait', '--for=condition=Established', '--timeout=60s', ...crds.map((c) => `crd/${c.metadata.name}`)]);
}

/** The key {@link readStored} indexes objects by: apiVersion, kind, namespace, name. */
export function storedKey(o: Manifest): string {
  return `${o.apiVersion}|${o.kind}|${o.metadata?.namespace ?? ''}|${o.metadata?.name}`;
}

/** Reads `objects` back with one `kubectl get` (each at its own apiVersion), by {@link storedKey}. */
export function readStored(server: KubeServer, objects: readonly Manifest[]): { stored: Map<string, Manifest>; error?: string } {
  const res = server.kubectl(['get', '-o', 'json', '--show-managed-fields', '-f', '-'], { input: asList(objects), allowFailure: true });
  const items: Manifest[] = res.stdout.trim() ? (JSON.parse(res.stdout).items ?? []) : [];
  return { stored: new Map(items.map((i) => [storedKey(i), i])), error: res.code !== 0 ? res.stderr.trim() : undefined };
}

/**
 * Reads every object back and returns one line per field whose stored value differs from what
 * we applied (quantities compare by value: the server writes `0.5` as `500m`). Empty when all
 * fields we set were stored as set (nothing pruned, nothing rewritten).
 */
export function diffStored(server: KubeServer, objects: readonly Manifest[]): string[] {
  const problems: string[] = [];
  if (objects.length === 0) return problems;
  const { stored: byKey, error } = readStored(server, objects);
  for (const o of objects) {
    const stored = byKey.get(storedKey(o));
    if (!stored) { problems.push(`${objectRef(o)}: not stored${error ? ` (${error})` : ''}`); continue; }
    for (const [field, value] of Object.entries(o)) {
      if (field === 'apiVersion' || field === 'kind' || field === 'status') continue;
      compare(value, stored[field], `${objectRef(o)}: .${field}`, problems);
    }
  }
  return problems;
}

function compare(want: unknown, got: unknown, path: string, problems: string[]): void {
  if (Array.isArray(want)) {
    if (got === undefined && want.length === 0) return;
    if (!Array.isArray(got) || got.length !== want.length) { problems.push(`${path}: applied ${JSON.stringify(want)}, stored ${JSON.stringify(got)}`); return; }
    want.forEach((w, i) => compare(w, got[i], `${path}[${i}]`, problems));
    return;
  }
  if (want !== null && typeof want === 'object') {
    if (got === undefined && Object.keys(want).length === 0) return;
    if (got === null || typeof got !== 'object') { problems.push(`${path}: applied ${JSON.stringify(want)}, stored ${JSON.stringify(got)}`); return; }
    for (const [k, v] of Object.entries(want)) compare(v, (got as Record<string, unknown>)[k], `${path}.${k}`, problems);
    return;
  }
  if (want === got) return;
  // Go's omitempty: a zero value we set explicitly (0, false, '') is not written back.
  if (got === undefined && (want === 0 || want === false || want === '')) return;
  // Quantities: the server writes `0.5` as `500m` and a number as a string.
  if ((typeof want === 'string' || typeof want === 'number') && typeof got === 'string') {
    const a = parseQuantity(String(want));
    const b = parseQuantity(got);
    if (a !== undefined && a === b) return;
  }
  problems.push(`${path}: applied ${JSON.stringify(want)}, stored ${JSON.stringify(got)}`);
}

const POD_CARRIERS: Record<string, (o: Manifest) => Manifest | undefined> = {
  Deployment: (o) => o.spec?.template,
  StatefulSet: (o) => o.spec?.template,
  DaemonSet: (o) => o.spec?.template,
  ReplicaSet: (o) => o.spec?.template,
  Job: (o) => o.spec?.template,
  CronJob: (o) => o.spec?.jobTemplate?.spec?.template,
};

/** Every pod template of `objects` as a Pod in its workload's namespace, named `<workload>-probe`. */
export function podsFromTemplates(objects: readonly Manifest[]): Manifest[] {
  return objects.flatMap((o) => {
    const template = POD_CARRIERS[o.kind]?.(o);
    if (!template) return [];
    // A StatefulSet's pods mount its volumeClaimTemplates as the PVCs the controller creates.
    const claims = (o.kind === 'StatefulSet' ? o.spec.volumeClaimTemplates ?? [] : []).map((c: Manifest) => ({
      name: c.metadata.name, persistentVolumeClaim: { claimName: `${c.metadata.name}-${o.metadata.name}-0` },
    }));
    const spec = claims.length > 0 ? { ...template.spec, volumes: [...(template.spec.volumes ?? []), ...claims] } : template.spec;
    return [{
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { ...(template.metadata ?? {}), name: `${o.metadata.name}-probe`.slice(0, 63), namespace: o.metadata.namespace },
      spec,
    }];
  });
}

/**
 * Creates `pod` with `--dry-run=server` (every admission plugin runs, PodSecurity included;
 * nothing is stored). Returns undefined when admitted, else the server's message.
 */
export function admitPod(server: KubeServer, pod: Manifest): string | undefined {
  const res = server.kubectl(['create', '--dry-run=server', '-o', 'name', '-f', '-'], { input: JSON.stringify(pod), allowFailure: true });
  return res.code === 0 ? undefined : res.stderr.trim();
}

/** A pod PodSecurity `restricted` (and `baseline`) must deny: privileged, host network, root. */
export function privilegedPod(namespace: string, serviceAccountName?: string): Manifest {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'psa-negative-control', namespace },
    spec: {
      ...(serviceAccountName ? { serviceAccountName } : {}),
      hostNetwork: true,
      containers: [{ name: 'root', image: 'busybox:1.36', securityContext: { privileged: true, runAsUser: 0 } }],
    },
  };
}

/** The kinds (`group/Kind`) the CRDs of `files` (relative to the repository root) define. */
export function kindsOfCrdFiles(files: readonly string[]): Set<string> {
  return new Set(files.flatMap((f) => readManifests(join(REPO_ROOT, f)).map((crd) => `${crd.spec.group}/${crd.spec.names.kind}`)));
}

/** What {@link applyTarget} did. */
export interface AppliedTarget {
  /** The objects applied, in order. */
  readonly applied: Manifest[];
  /** Objects not applied because the server refused their kind's CRD. */
  readonly skipped: Manifest[];
  /** Namespaces the target uses but does not create (an add-on's, e.g. `argocd`): created first, as the add-on would. */
  readonly prerequisiteNamespaces: string[];
  /** The warnings the server returned while applying the target's own objects. */
  readonly warnings: string[];
}

/** True for a Gatekeeper constraint (its kind exists only once Gatekeeper has processed the template). */
export function isGatekeeperConstraint(o: Manifest): boolean {
  return String(o.apiVersion).startsWith('constraints.gatekeeper.sh/');
}

/**
 * Applies one target's objects under one field manager in the documented order
 * (docs/conformance.md, "Apply order"): its namespaces, everything but Gatekeeper constraints,
 * then, after Gatekeeper's template -> CRD step (emulated with {@link constraintCrdsFor}), the
 * constraints. Objects whose kind is in `refusedKinds` are skipped and returned.
 */
export function applyTarget(
  server: KubeServer, objects: readonly Manifest[], fieldManager: string, refusedKinds: ReadonlySet<string> = new Set(),
): AppliedTarget {
  const kindOf = (o: Manifest) => `${String(o.apiVersion).split('/')[0]}/${o.kind}`;
  const skipped = objects.filter((o) => refusedKinds.has(kindOf(o)));
  const applied = objects.filter((o) => !refusedKinds.has(kindOf(o)));
  const own = new Set(applied.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name));
  const prerequisiteNamespaces = [...new Set(applied.map((o) => o.metadata?.namespace).filter((n): n is string => !!n && !own.has(n)))].sort();
  for (const ns of prerequisiteNamespaces) {
    if (!server.getJson('namespace', ns)) applyObjects(server, [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }], 'prerequisites', `namespace ${ns}`);
  }
  const warnings = [
    ...applyObjects(server, applied.filter((o) => o.kind === 'Namespace'), fieldManager, `${fieldManager}: namespaces`),
    ...applyObjects(server, applied.filter((o) => o.kind !== 'Namespace' && !isGatekeeperConstraint(o)), fieldManager, fieldManager),
  ];
  const constraints = applied.filter(isGatekeeperConstraint);
  if (constraints.length > 0) {
    const crds = constraintCrdsFor(applied).filter((crd) => !server.getJson('crd', crd.metadata.name));
    applyObjects(server, crds, 'gatekeeper-emulation', 'constraint CRDs from the ConstraintTemplates');
    waitEstablished(server, crds);
    warnings.push(...applyObjects(server, constraints, fieldManager, `${fieldManager}: Gatekeeper constraints`));
  }
  return { applied, skipped, prerequisiteNamespaces, warnings };
}
