import { Construct } from 'constructs';
import { fail, show } from '../common/errors';
import { validateDns1123Label } from '../common/validation';
import { addConfigDocument } from './config-document';
import { requireNodePath } from './node-path';

/** A Pod Security Standards level. */
export type PodSecurityLevel = 'privileged' | 'baseline' | 'restricted';

const LEVELS: readonly PodSecurityLevel[] = ['privileged', 'baseline', 'restricted'];
const RANK: Record<PodSecurityLevel, number> = { privileged: 0, baseline: 1, restricted: 2 };

/** Props of {@link PodSecurityAdmissionDefaults}. */
export interface PodSecurityAdmissionDefaultsProps {
  /** The policy version the levels are judged by, e.g. 'v1.28' (the target minor release) or 'latest'. */
  readonly version: string;
  /** Pods violating this level are rejected in namespaces without their own label. @default 'restricted' */
  readonly enforce?: PodSecurityLevel;
  /** Violations of this level are recorded in the audit log. @default 'restricted' */
  readonly audit?: PodSecurityLevel;
  /** Violations of this level are returned as warnings to the client. @default 'restricted' */
  readonly warn?: PodSecurityLevel;
  /** Namespaces not checked at all. @default ['kube-system'] (static control-plane pods and the CNI run there privileged) */
  readonly exemptNamespaces?: readonly string[];
  /** Authenticated users not checked. @default - none */
  readonly exemptUsernames?: readonly string[];
  /** RuntimeClasses not checked. @default - none */
  readonly exemptRuntimeClasses?: readonly string[];
  /** Where the installer puts the file on each control-plane node (`--admission-control-config-file`). @default '/etc/kubernetes/admission-configuration.yaml' */
  readonly nodePath?: string;
}

/**
 * Cluster-wide Pod Security Admission defaults (`apiserver.config.k8s.io/v1` AdmissionConfiguration
 * with the `PodSecurity` plugin's `pod-security.admission.config.k8s.io/v1` configuration,
 * `--admission-control-config-file`): the modern replacement for the PodSecurityPolicy plugin
 * document 004 enables, which Kubernetes 1.25 removed. Namespaces without
 * `pod-security.kubernetes.io/*` labels get enforce/audit/warn `restricted` at a pinned version;
 * `kube-system` is exempt. Namespace labels (e.g. RestrictedNamespace's) still decide for their namespace.
 */
export class PodSecurityAdmissionDefaults extends Construct {
  /** Where the file goes on each control-plane node. */
  public readonly nodePath: string;
  /** The enforced level. */
  public readonly enforce: PodSecurityLevel;

  constructor(scope: Construct, id: string, props: PodSecurityAdmissionDefaultsProps) {
    super(scope, id);
    this.nodePath = requireNodePath(this, 'nodePath', props.nodePath ?? '/etc/kubernetes/admission-configuration.yaml');
    if (props.version !== 'latest' && !/^v1\.(0|[1-9]\d*)$/.test(props.version)) {
      fail(this, `version ${show(props.version)} is not a Pod Security Standards version: write the target minor release, e.g. 'v1.28', or 'latest'.`);
    }
    const level = (what: string, value: PodSecurityLevel | undefined): PodSecurityLevel => {
      const v = value ?? 'restricted';
      if (!LEVELS.includes(v)) fail(this, `${what} ${show(v)} is not a Pod Security Standards level: use 'privileged', 'baseline' or 'restricted'.`);
      return v;
    };
    this.enforce = level('enforce', props.enforce);
    const audit = level('audit', props.audit);
    const warn = level('warn', props.warn);
    for (const [what, v] of [['audit', audit], ['warn', warn]] as const) {
      if (RANK[v] < RANK[this.enforce]) {
        fail(this, `${what} ${show(v)} is looser than enforce ${show(this.enforce)}, so it never reports anything enforce lets through: set ${what} to ${show(this.enforce)} or stricter.`);
      }
    }
    const namespaces = [...(props.exemptNamespaces ?? ['kube-system'])];
    for (const ns of namespaces) validateDns1123Label(this, 'exemptNamespaces entry', ns);
    for (const rc of props.exemptRuntimeClasses ?? []) validateDns1123Label(this, 'exemptRuntimeClasses entry', rc);
    for (const user of props.exemptUsernames ?? []) {
      if (user.trim() === '') fail(this, `exemptUsernames has an empty entry: name the user, e.g. 'system:serviceaccount:ci:deployer'.`);
    }
    addConfigDocument(this, 'Resource', 'apiserver.config.k8s.io/v1', 'AdmissionConfiguration', {
      plugins: [{
        name: 'PodSecurity',
        configuration: {
          apiVersion: 'pod-security.admission.config.k8s.io/v1',
          kind: 'PodSecurityConfiguration',
          defaults: {
            'enforce': this.enforce, 'enforce-version': props.version,
            'audit': audit, 'audit-version': props.version,
            'warn': warn, 'warn-version': props.version,
          },
          exemptions: {
            usernames: [...(props.exemptUsernames ?? [])].sort(),
            runtimeClasses: [...(props.exemptRuntimeClasses ?? [])].sort(),
            namespaces: namespaces.sort(),
          },
        },
      }],
    });
  }
}
