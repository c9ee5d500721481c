import { Construct } from 'constructs';
import { Application } from '../../imports/argocd-applications-argoproj.io';
import { fail, show } from '../common/errors';
import { validateDns1123Label, validateDns1123Subdomain } from '../common/validation';

/** Props of {@link ArgoCdApplication}. */
export interface ArgoCdApplicationProps {
  /**
   * The Git repository that holds the synthesized folders: `https://host/org/repo.git`,
   * `ssh://git@host/org/repo.git` or `git@host:org/repo.git`. Plain `http://` and URLs with
   * embedded credentials are refused (configure repository credentials in Argo CD instead).
   */
  readonly repoUrl: string;
  /** The branch, tag or commit to follow. @default 'HEAD' */
  readonly targetRevision?: string;
  /** The environment's folder inside the repository, relative and without `..`, e.g. `dist/production`. */
  readonly path: string;
  /** The namespace the objects go to when they do not name one. */
  readonly destinationNamespace: string;
  /** The API server of the target cluster. @default 'https://kubernetes.default.svc' (the cluster Argo CD runs in) */
  readonly destinationServer?: string;
  /** The Argo CD project. @default 'default' */
  readonly project?: string;
  /** The Application's name. @default - the construct id */
  readonly name?: string;
  /** The namespace Argo CD watches for Applications. @default 'argocd' */
  readonly namespace?: string;
  /** Sync automatically when the folder changes. @default true */
  readonly automatedSync?: boolean;
  /** With automated sync, delete objects that left the folder. @default true */
  readonly prune?: boolean;
  /** With automated sync, revert changes made to the cluster by hand. @default true */
  readonly selfHeal?: boolean;
  /** Apply with server-side apply (`ServerSideApply=true`), as CI does. @default true */
  readonly serverSideApply?: boolean;
  /**
   * Let Argo CD create the destination namespace (`CreateNamespace=true`). @default false — the
   * namespace is part of the synthesized folder, with its Pod Security labels
   */
  readonly createNamespace?: boolean;
  /** More sync options as `Key=value`, e.g. `PruneLast=true`. @default - none */
  readonly extraSyncOptions?: readonly string[];
}

const DEFAULT_SERVER = 'https://kubernetes.default.svc';
const SCP_LIKE = /^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[A-Za-z0-9._~/-]+$/;
const SYNC_OPTION = /^[A-Za-z]+=[A-Za-z0-9.,_-]+$/;

/**
 * An Argo CD `Application` (argoproj.io/v1alpha1) that deploys one synthesized environment folder
 * from Git: automated sync with prune and self-heal, server-side apply, no namespace creation
 * (the folder brings its own hardened Namespace). Every field is validated in the constructor.
 */
export class ArgoCdApplication extends Construct {
  /** The Application's name. */
  public readonly name: string;
  /** The folder it deploys, normalized (no `./`, no trailing `/`). */
  public readonly path: string;
  /** The sync options, sorted. */
  public readonly syncOptions: readonly string[];

  constructor(scope: Construct, id: string, props: ArgoCdApplicationProps) {
    super(scope, id);
    this.name = props.name ?? id;
    validateDns1123Label(this, 'name', this.name);
    const namespace = props.namespace ?? 'argocd';
    validateDns1123Label(this, 'namespace', namespace);
    validateDns1123Label(this, 'destinationNamespace', props.destinationNamespace);
    const project = props.project ?? 'default';
    validateDns1123Subdomain(this, 'project', project);
    validateRepoUrl(this, props.repoUrl);
    const server = props.destinationServer ?? DEFAULT_SERVER;
    validateServer(this, server);
    const targetRevision = props.targetRevision ?? 'HEAD';
    if (targetRevision === '' || /\s/.test(targetRevision)) {
      fail(this, `targetRevision ${show(targetRevision)} is not a Git revision: use a branch, tag or commit without spaces (e.g. 'main', 'v1.2.3').`);
    }
    this.path = normalizePath(this, props.path);

    const automated = props.automatedSync ?? true;
    if (!automated && (props.prune !== undefined || props.selfHeal !== undefined)) {
      fail(this, 'prune and selfHeal apply only to automated sync, which is off (automatedSync: false); remove them or turn automatedSync on.');
    }
    const options = new Map<string, string>([
      ['CreateNamespace', String(props.createNamespace ?? false)],
      ['ServerSideApply', String(props.serverSideApply ?? true)],
    ]);
    for (const option of props.extraSyncOptions ?? []) {
      if (!SYNC_OPTION.test(option)) {
        fail(this, `extraSyncOptions entry ${show(option)} is not a sync option: use 'Key=value', e.g. 'PruneLast=true'.`);
      }
      const key = option.slice(0, option.indexOf('='));
      if (options.has(key)) {
        fail(this, `extraSyncOptions sets ${show(key)} more than once or overrides a prop: set ${key === 'CreateNamespace' ? 'createNamespace' : key === 'ServerSideApply' ? 'serverSideApply' : 'it once'} instead.`);
      }
      options.set(key, option.slice(key.length + 1));
    }
    this.syncOptions = [...options.entries()].map(([k, v]) => `${k}=${v}`).sort();

    new Application(this, 'Resource', {
      metadata: { name: this.name, namespace },
      spec: {
        project,
        source: { repoUrl: props.repoUrl, targetRevision, path: this.path },
        destination: { server, namespace: props.destinationNamespace },
        syncPolicy: {
          ...(automated ? { automated: { prune: props.prune ?? true, selfHeal: props.selfHeal ?? true } } : {}),
          syncOptions: [...this.syncOptions],
        },
      },
    });
  }
}

function validateRepoUrl(scope: Construct, url: string): void {
  const hint = 'use https://host/org/repo.git, ssh://git@host/org/repo.git or git@host:org/repo.git';
  if (SCP_LIKE.test(url)) return;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return fail(scope, `repoUrl ${show(url)} is not a Git URL: ${hint}.`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'ssh:') {
    fail(scope, `repoUrl ${show(url)} uses '${parsed.protocol}', which is not allowed: ${hint}.`);
  }
  if (parsed.password !== '' || (parsed.protocol === 'https:' && parsed.username !== '')) {
    fail(scope, `repoUrl ${show(url.replace(/\/\/[^@/]*@/, '//***@'))} embeds credentials, which would be committed in clear text: remove them and add the repository to Argo CD with a credential Secret.`);
  }
  if (parsed.hostname === '' || parsed.pathname.length <= 1) {
    fail(scope, `repoUrl ${show(url)} names no host or repository: ${hint}.`);
  }
}

function validateServer(scope: Construct, server: string): void {
  let ok = false;
  try {
    const parsed = new URL(server);
    ok = parsed.protocol === 'https:' && parsed.hostname !== '' && parsed.username === '' && parsed.password === '';
  } catch {
    ok = false;
  }
  if (!ok) {
    fail(scope, `destinationServer ${show(server)} is not an https API server URL: use e.g. '${DEFAULT_SERVER}' or 'https://1.2.3.4:6443'.`);
  }
}

function normalizePath(scope: Construct, path: string): string {
  const normalized = path.replace(/^(\.\/)+/, '').replace(/\/+$/, '');
  const segments = normalized.split('/');
  if (path.startsWith('/') || path.includes('\\') || normalized === '' || segments.includes('..') || segments.some((s) => s === '')) {
    fail(scope, `path ${show(path)} is not a relative folder of the repository: use a path like 'dist/production', without a leading '/', '..' or empty segments.`);
  }
  return normalized;
}
