import { posix } from 'path';
import { ApiObject, Chart, Duration, JsonPatch, Size, SizeRoundingBehavior } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { requirePinnedImage } from './image-reference';
import { ResourceQuantities, SecureDeploymentProps, WorkloadResources, WorkloadSpreadProps, WorkloadToleration } from './secure-deployment-props';
import { IWorkload, WorkloadPort } from './workload';
import { WorkloadEnv } from './workload-env';
import { ProbeTiming, WorkloadProbe } from './workload-probe';
import { ANNOTATION_DOMAIN, GuardrailsAnnotations, LEGACY_ANNOTATION_DOMAIN } from '../common/annotations';
import { fail, show } from '../common/errors';
import { hasReason, validateAnnotations, validateConfigMapKey, validateConfigMapSize, validateServiceName } from '../common/kubernetes-keys';
import { selectorLabels, workloadLabels } from '../common/labels';
import { LinearKubeConfigMap } from '../common/linear-config-map';
import { requireQuantity, requireRequestWithinLimit } from '../common/quantity';
import {
  isDns1123Subdomain, isQualifiedName, validateDns1123Label, validateDns1123Subdomain, validateInteger, validateLabels,
  validatePortName, validatePortNumber,
} from '../common/validation';
import { withConstructPath } from '../common/wrap-errors';
import { exemptFromConformanceCheck } from '../conformance/conformance-exemption';
import { CidrFlowOptions, CidrIngressOptions as WorkloadCidrIngressOptions, NamespaceFlowOptions, WorkloadFlowOptions, WorkloadNetworkPolicy } from '../network/workload-network-policy';
import { PolicySuppression } from '../policy/policy-suppression';
import { addPullSecretNames } from '../registry/pull-secret-names';
import type { IRegistryPullSecret } from '../registry/registry-pull-secret';

/** Annotation on the pod template that records why a workload leaves the restricted profile. */
export const UNSAFE_REASON_ANNOTATION = GuardrailsAnnotations.UNSAFE_REASON;
/** Annotation prefix recording why a probe is turned off (`…/liveness`, `…/readiness`, `…/startup`). */
export const PROBE_DISABLED_ANNOTATION = GuardrailsAnnotations.PROBE_DISABLED;

const DEFAULT_REQUESTS = { cpu: '250m', memory: '256Mi', ephemeralStorage: '64Mi' };
const DEFAULT_LIMITS = { cpu: '500m', memory: '512Mi' };
/** Ephemeral storage beyond /tmp in the default limit: container logs (5 x 10Mi) and the writable layer. */
const EPHEMERAL_HEADROOM_MIB = 192;
const DEFAULT_ID = 1001;
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
/** Keys of the workload's own config exported as env: names every shell and runtime can read. */
const CONFIG_ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Pod annotation prefixes the construct writes itself; `podAnnotations` may not set them. */
const OWN_ANNOTATION_PREFIXES = ['prometheus.io/', `${ANNOTATION_DOMAIN}/`, `${LEGACY_ANNOTATION_DOMAIN}/`];
const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;
const IAM_ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
const RAM_ROLE_NAME = /^[a-zA-Z0-9.-]{1,64}$/;

/**
 * The production microservice pattern as one construct: a Deployment whose pods pass the Pod
 * Security Standards *restricted* profile, with its dedicated ServiceAccount (no token), a
 * Service, an optional ConfigMap, a PodDisruptionBudget and an optional HorizontalPodAutoscaler.
 *
 * Defaults that protect you: non-root uid/gid 1001, seccomp `RuntimeDefault`, every capability
 * dropped, no privilege escalation, read-only root filesystem with a size-limited `/tmp`,
 * requests and limits always set, liveness/readiness/startup probes, images pinned by tag or
 * digest, zero-downtime rolling updates and pods spread over nodes and zones.
 */
export class SecureDeployment extends Construct implements IWorkload {
  public readonly name: string;
  public readonly namespace?: string;
  public readonly selectorLabels: Record<string, string>;
  public readonly podLabels: Record<string, string>;
  public readonly ports: readonly WorkloadPort[];
  public readonly serviceAccountName: string;
  public readonly serviceName?: string;
  /** The resolved image reference. */
  public readonly image: string;
  /** The `version` label. */
  public readonly version: string;
  /** The replica count, or the autoscaler's minimum when autoscaled. */
  public readonly replicas: number;
  /**
   * The most replicas the workload can reach: `replicas`, or the autoscaler's maximum. High
   * availability (spread, PodDisruptionBudget) follows this number, not the minimum.
   */
  public readonly maxReplicas: number;
  /** The resolved requests and limits. */
  public readonly resources: { readonly requests: Required<ResourceQuantities>; readonly limits: Required<ResourceQuantities> };
  /** Where metrics are scraped, when declared. */
  public readonly metrics?: { readonly port: WorkloadPort; readonly path: string; readonly interval: Duration };
  /** The underlying cdk8s-plus Deployment. */
  public readonly deployment: kplus.Deployment;
  /** The main container. */
  public readonly container: kplus.Container;
  /** The ServiceAccount. */
  public readonly serviceAccount: kplus.ServiceAccount;
  /** The Service, when there is one. Escape hatch: `addJsonPatch`, metadata; typed as the cdk8s `ApiObject` so generated types stay internal. */
  public readonly service?: ApiObject;
  /** The ConfigMap, when `config` is given. Escape hatch: `addJsonPatch`, metadata; typed as the cdk8s `ApiObject` so generated types stay internal. */
  public readonly configMap?: ApiObject;
  /** The HorizontalPodAutoscaler, when `autoscaling` is given. */
  public readonly autoscaler?: ApiObject;
  /** The PodDisruptionBudget, when there is one. */
  public readonly disruptionBudget?: ApiObject;
  private readonly pullSecretNames = new Set<string>();
  /** Service ports that differ from the container port, by port name. */
  private readonly servicePorts = new Map<string, number>();

  constructor(scope: Construct, id: string, props: SecureDeploymentProps) {
    super(scope, id);
    this.name = props.name ?? id;
    validateDns1123Label(this, "'name'", this.name);
    this.namespace = Chart.of(this).namespace;

    const image = this.validateImage(props.image);
    this.image = props.image;
    this.version = props.version ?? image.tag ?? fail(this, `the image ${show(props.image)} is pinned by digest only, so the 'version' label cannot be taken from its tag; set 'version' (e.g. 'v1.2.3').`);
    const component = props.component ?? 'backend';
    this.podLabels = workloadLabels({ name: this.name, version: this.version, component, partOf: props.partOf });
    validateLabels(this, 'label', this.podLabels);
    this.selectorLabels = selectorLabels(this.name);

    this.ports = this.validatePorts(props);
    // Disk-backed emptyDirs count against the ephemeral-storage limit, like /tmp.
    const scratch = (props.volumes ?? []).filter((v) => v.emptyDir !== undefined && v.emptyDir.medium !== 'Memory')
      .reduce(
        (sum, v) => sum + v.emptyDir!.sizeLimit.toMebibytes({ rounding: SizeRoundingBehavior.NONE }),
        (props.tmpSize ?? Size.mebibytes(64)).toMebibytes({ rounding: SizeRoundingBehavior.NONE }),
      );
    this.resources = this.validateResources(props.resources, Size.mebibytes(Math.ceil(scratch)));
    this.replicas = this.validateReplicas(props);
    this.maxReplicas = props.autoscaling?.maxReplicas ?? this.replicas;
    this.validateSecurity(props);
    this.metrics = props.metrics && {
      port: this.requirePort('metrics.port', props.metrics.port ?? this.ports[0].name),
      path: this.validatePath('metrics.path', props.metrics.path ?? '/metrics'),
      interval: props.metrics.interval ?? Duration.seconds(30),
    };

    this.serviceAccount = this.createServiceAccount(props);
    this.serviceAccountName = this.name;
    // cdk8s-plus raises its own errors without a construct path: wrap them with ours.
    this.deployment = withConstructPath(this, () => this.createDeployment(props));
    this.container = this.deployment.containers[0];
    withConstructPath(this, () => this.configureContainer(props));
    this.patchPodSpec(props);

    if (props.config) this.configMap = this.createConfigMap(props);
    if (props.service !== false) {
      this.service = this.createService(props);
      this.serviceName = this.name;
    }
    if (props.autoscaling) this.autoscaler = this.createAutoscaler(props);
    if (props.disruptionBudget !== false && this.maxReplicas > 1) this.disruptionBudget = this.createDisruptionBudget(props);
    this.exemptFromMisjudgedChecks(props);
  }

  /** Lets `peer` open connections to this workload (by default on every port; see `options.port`). */
  public allowFrom(peer: IWorkload, options: WorkloadFlowOptions = {}): this {
    WorkloadNetworkPolicy.of(this).allowFrom(peer, options);
    return this;
  }

  /** Lets this workload open connections to `peer`. */
  public allowTo(peer: IWorkload, options: WorkloadFlowOptions = {}): this {
    WorkloadNetworkPolicy.of(this).allowTo(peer, options);
    return this;
  }

  /** Lets pods of the namespace `namespace` open connections to this workload. */
  public allowFromNamespace(namespace: string, options: NamespaceFlowOptions = {}): this {
    WorkloadNetworkPolicy.of(this).allowFromNamespace(namespace, options);
    return this;
  }

  /** Lets this workload open connections to addresses in `cidr`. */
  public allowToCidr(cidr: string, options: CidrFlowOptions): this {
    WorkloadNetworkPolicy.of(this).allowToCidr(cidr, options);
    return this;
  }

  /**
   * Adds pull secrets to the pod's `imagePullSecrets` (merged with those already given, sorted,
   * without duplicates). The secrets must live in the workload's namespace.
   */
  public addImagePullSecrets(...secrets: (string | IRegistryPullSecret)[]): this {
    addPullSecretNames(this, this.namespace, this.pullSecretNames, secrets);
    if (this.pullSecretNames.size > 0) {
      ApiObject.of(this.deployment).addJsonPatch(JsonPatch.add('/spec/template/spec/imagePullSecrets', [...this.pullSecretNames].sort().map((name) => ({ name }))));
    }
    return this;
  }

  /** The names of the pull secrets the pods name in `imagePullSecrets`, sorted. */
  public get imagePullSecretNames(): string[] {
    return [...this.pullSecretNames].sort();
  }

  /** Lets addresses in `cidr` (outside the cluster, e.g. the callers of an internal load balancer) connect to this workload. */
  public allowFromCidr(cidr: string, options: WorkloadCidrIngressOptions = {}): this {
    WorkloadNetworkPolicy.of(this).allowFromCidr(cidr, options);
    return this;
  }

  public findPort(port: string | number): WorkloadPort | undefined {
    return this.ports.find((p) => (typeof port === 'number' ? p.number === port : p.name === port));
  }

  private requirePort(what: string, port: string | number): WorkloadPort {
    return this.findPort(port) ?? fail(this, `${what} ${show(port)} is not a declared port; declared: ${this.ports.map((p) => `${p.name} (${p.number})`).join(', ')}. Use one of them or add it to 'ports'.`);
  }

  private validatePath(what: string, path: string): string {
    if (!path.startsWith('/')) fail(this, `${what} ${show(path)} must start with '/' (e.g. '/metrics').`);
    return path;
  }

  private validateImage(image: string) {
    return requirePinnedImage(this, image, 'myregistry.com/user-service:v1.2.3');
  }

  private validatePorts(props: SecureDeploymentProps): WorkloadPort[] {
    const ports = (props.ports ?? [{ name: 'http', number: 8080 }]).map((p) => ({ name: p.name, number: p.number, protocol: p.protocol ?? 'TCP' as const }));
    if (ports.length === 0) fail(this, "'ports' is empty; declare at least the main port (e.g. [{ name: 'http', number: 8080 }]).");
    const names = new Set<string>();
    const numbers = new Set<string>();
    for (const port of ports) {
      validatePortName(this, 'port name', port.name);
      validatePortNumber(this, `port '${port.name}' number`, port.number);
      if (names.has(port.name)) fail(this, `port name ${show(port.name)} is declared twice; give each port its own name.`);
      const key = `${port.number}/${port.protocol}`;
      if (numbers.has(key)) fail(this, `port number ${port.number}/${port.protocol} is declared twice (again as ${show(port.name)}); give each port its own number.`);
      names.add(port.name);
      numbers.add(key);
    }
    for (const p of props.ports ?? []) {
      if (p.servicePort === undefined) continue;
      validatePortNumber(this, `port '${p.name}' servicePort`, p.servicePort);
      this.servicePorts.set(p.name, p.servicePort);
    }
    const exposed = new Map<string, string>();
    for (const port of ports) {
      const key = `${this.servicePorts.get(port.name) ?? port.number}/${port.protocol}`;
      if (exposed.has(key)) fail(this, `the Service would expose ${key} twice (ports ${show(exposed.get(key))} and ${show(port.name)}); give each port its own 'servicePort'.`);
      exposed.set(key, port.name);
    }
    return ports;
  }

  private validateResources(resources: WorkloadResources | undefined, tmpSize: Size) {
    const tmpMiB = Math.ceil(tmpSize.toMebibytes({ rounding: SizeRoundingBehavior.NONE }));
    const requests = { ...DEFAULT_REQUESTS, ...resources?.requests };
    const limits = { ...DEFAULT_LIMITS, ephemeralStorage: `${tmpMiB + EPHEMERAL_HEADROOM_MIB}Mi`, ...resources?.limits };
    const ephemeralLimit = requireQuantity(this, "'limits.ephemeralStorage'", limits.ephemeralStorage, '256Mi');
    if (ephemeralLimit < tmpMiB * 1024 * 1024) {
      fail(this, `'limits.ephemeralStorage' (${limits.ephemeralStorage}) is below the /tmp size (${tmpMiB}Mi), so the pod would be evicted before /tmp is full; raise the limit to at least ${tmpMiB + EPHEMERAL_HEADROOM_MIB}Mi or lower 'tmpSize'.`);
    }
    for (const resource of ['cpu', 'memory', 'ephemeralStorage'] as const) {
      const example = resource === 'cpu' ? '500m' : '512Mi';
      requireRequestWithinLimit(this, `'requests.${resource}'`, requests[resource], `'limits.${resource}'`, limits[resource], example);
    }
    return { requests, limits };
  }

  private validateReplicas(props: SecureDeploymentProps): number {
    if (props.replicas !== undefined) validateInteger(this, "'replicas'", props.replicas, 0);
    const scaling = props.autoscaling;
    if (!scaling) return props.replicas ?? 2;
    if (props.replicas !== undefined) {
      fail(this, `'replicas' (${props.replicas}) and 'autoscaling' are both set, and the Deployment would fight the autoscaler over the replica count; remove 'replicas' and set 'autoscaling.minReplicas' instead.`);
    }
    validateInteger(this, "'autoscaling.minReplicas'", scaling.minReplicas, 1);
    validateInteger(this, "'autoscaling.maxReplicas'", scaling.maxReplicas, 1);
    if (scaling.minReplicas > scaling.maxReplicas) {
      fail(this, `'autoscaling.minReplicas' (${scaling.minReplicas}) is above 'autoscaling.maxReplicas' (${scaling.maxReplicas}); lower the minimum or raise the maximum.`);
    }
    validateInteger(this, "'autoscaling.cpuUtilizationPercent'", scaling.cpuUtilizationPercent ?? 70, 1, 100);
    if (scaling.memoryUtilizationPercent !== false) validateInteger(this, "'autoscaling.memoryUtilizationPercent'", scaling.memoryUtilizationPercent ?? 80, 1, 100);
    return scaling.minReplicas;
  }

  private validateSecurity(props: SecureDeploymentProps): void {
    const security = props.security ?? {};
    const reason = security.unsafeReason;
    const needReason = (what: string) => {
      if (!hasReason(reason)) fail(this, `${what} leaves the Pod Security Standards 'restricted' profile; remove it, or set 'security.unsafeReason' to say why this workload needs it${reason === undefined ? '' : ` (${show(reason)} is blank)`}.`);
    };
    for (const field of ['runAsUser', 'runAsGroup', 'fsGroup'] as const) {
      if (security[field] !== undefined) validateInteger(this, `'security.${field}'`, security[field]!, 0, 2147483647);
    }
    if (security.runAsUser === 0) needReason("'security.runAsUser: 0' (root)");
    if (security.privileged) needReason("'security.privileged: true'");
    if (security.hostNetwork) needReason("'security.hostNetwork: true'");
    if (security.hostPID) needReason("'security.hostPID: true'");
    if (security.hostIPC) needReason("'security.hostIPC: true'");
    if (security.writableRootFilesystem) needReason("'security.writableRootFilesystem: true'");
    for (const capability of security.addCapabilities ?? []) {
      if (!/^[A-Z_]+$/.test(capability)) fail(this, `capability ${show(capability)} is not a Linux capability name; use the upper-case name without 'CAP_' (e.g. 'NET_BIND_SERVICE').`);
      if (capability !== 'NET_BIND_SERVICE') needReason(`adding the capability ${show(capability)}`);
    }
  }

  private createServiceAccount(props: SecureDeploymentProps): kplus.ServiceAccount {
    const sa = props.serviceAccount ?? {};
    const annotations: Record<string, string> = { ...sa.annotations };
    validateAnnotations(this, "'serviceAccount.annotations'", annotations);
    if (sa.awsRoleArn !== undefined) {
      if (!IAM_ROLE_ARN.test(sa.awsRoleArn)) fail(this, `'serviceAccount.awsRoleArn' ${show(sa.awsRoleArn)} is not an IAM role ARN; use 'arn:aws:iam::<12-digit account id>:role/<role name>'.`);
      annotations['eks.amazonaws.com/role-arn'] = sa.awsRoleArn;
    }
    if (sa.alibabaRamRoleName !== undefined) {
      if (!RAM_ROLE_NAME.test(sa.alibabaRamRoleName)) fail(this, `'serviceAccount.alibabaRamRoleName' ${show(sa.alibabaRamRoleName)} is not a RAM role name; use at most 64 letters, digits, '.' and '-'.`);
      annotations['pod-identity.alibabacloud.com/role-name'] = sa.alibabaRamRoleName;
    }
    return new kplus.ServiceAccount(this, 'ServiceAccount', {
      metadata: { name: this.name, labels: this.podLabels, annotations: sortKeys(annotations) },
      automountToken: sa.automountToken ?? false,
    });
  }

  private createDeployment(props: SecureDeploymentProps): kplus.Deployment {
    const security = props.security ?? {};
    const user = security.runAsUser ?? DEFAULT_ID;
    const group = security.runAsGroup ?? DEFAULT_ID;
    const rolling = props.rollingUpdate ?? {};
    const annotations: Record<string, string> = {};
    if (this.metrics) {
      annotations['prometheus.io/path'] = this.metrics.path;
      annotations['prometheus.io/port'] = String(this.metrics.port.number);
      annotations['prometheus.io/scrape'] = 'true';
    }
    for (const [key, value] of Object.entries(props.podAnnotations ?? {})) {
      if (!/^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/.test(key)) {
        fail(this, `'podAnnotations' key ${show(key)} is not a valid annotation key; use an optional DNS prefix and a name (e.g. 'sidecar.istio.io/inject').`);
      }
      if (OWN_ANNOTATION_PREFIXES.some((prefix) => key.startsWith(prefix))) {
        fail(this, `'podAnnotations' key ${show(key)} is written by SecureDeployment itself (from 'metrics', 'security.unsafeReason' or 'probes'); set it through those props instead.`);
      }
      annotations[key] = value;
    }
    if (security.unsafeReason) annotations[UNSAFE_REASON_ANNOTATION] = security.unsafeReason;
    for (const [key, probe] of Object.entries(props.probes ?? {})) {
      if (probe?.action.kind !== 'disabled') continue;
      if (!probe.action.reason.trim()) fail(this, `the ${key} probe is disabled without a reason; pass one to WorkloadProbe.disabled('…').`);
      annotations[`${PROBE_DISABLED_ANNOTATION}.${key}`] = probe.action.reason;
    }
    if ((rolling.maxSurge ?? 1) === 0 && (rolling.maxUnavailable ?? 0) === 0) {
      fail(this, "'rollingUpdate.maxSurge' and 'rollingUpdate.maxUnavailable' are both 0, so a rollout can never make progress; allow a surge (e.g. maxSurge: 1).");
    }
    const deployment = new kplus.Deployment(this, 'Deployment', {
      metadata: { name: this.name, labels: this.podLabels },
      podMetadata: { labels: this.podLabels, annotations },
      select: false,
      replicas: this.replicas,
      serviceAccount: this.serviceAccount,
      automountServiceAccountToken: props.serviceAccount?.automountToken ?? false,
      hostNetwork: security.hostNetwork ?? false,
      terminationGracePeriod: props.terminationGracePeriod ?? Duration.seconds(30),
      strategy: kplus.DeploymentStrategy.rollingUpdate({
        maxSurge: this.percentOrAbsolute('rollingUpdate.maxSurge', rolling.maxSurge ?? 1),
        maxUnavailable: this.percentOrAbsolute('rollingUpdate.maxUnavailable', rolling.maxUnavailable ?? 0),
      }),
      securityContext: {
        ensureNonRoot: user !== 0,
        user,
        group,
        fsGroup: security.fsGroup ?? DEFAULT_ID,
        fsGroupChangePolicy: kplus.FsGroupChangePolicy.ON_ROOT_MISMATCH,
      },
      containers: [{
        name: this.name,
        image: props.image,
        imagePullPolicy: props.imagePullPolicy as kplus.ImagePullPolicy ?? kplus.ImagePullPolicy.ALWAYS,
        args: props.args,
        command: props.command,
        ports: this.ports.map((p) => ({ name: p.name, number: p.number, protocol: p.protocol as kplus.Protocol })),
        // Requests and limits are written in patchPodSpec, exactly as the user gave them.
        resources: {},
        securityContext: {
          ensureNonRoot: user !== 0,
          user,
          group,
          privileged: security.privileged ?? false,
          readOnlyRootFilesystem: !(security.writableRootFilesystem ?? false),
          allowPrivilegeEscalation: security.privileged ?? false,
          capabilities: {
            drop: [kplus.Capability.ALL],
            add: security.addCapabilities?.length ? security.addCapabilities.map((c) => c as kplus.Capability) : undefined,
          },
          seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
        },
      }],
    });
    deployment.select(kplus.LabelSelector.of({ labels: this.selectorLabels }));
    return deployment;
  }

  private percentOrAbsolute(what: string, value: number | string): kplus.PercentOrAbsolute {
    if (typeof value === 'number') {
      validateInteger(this, `'${what}'`, value, 0);
      return kplus.PercentOrAbsolute.absolute(value);
    }
    const match = /^(\d{1,3})%$/.exec(value);
    if (!match || Number(match[1]) > 100) fail(this, `'${what}' ${show(value)} is neither a whole number nor a percentage; use e.g. 1 or '25%'.`);
    return kplus.PercentOrAbsolute.percent(Number(match[1]));
  }

  private configureContainer(props: SecureDeploymentProps): void {
    const container = this.container;
    if (props.config) this.configData(props);
    for (const [name, env] of Object.entries(props.env ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
      container.env.addVariable(name, this.envValue(name, env));
    }
    for (const name of props.envFrom?.configMaps ?? []) {
      validateDns1123Subdomain(this, "'envFrom.configMaps' entry", name);
      container.env.copyFrom(kplus.Env.fromConfigMap(kplus.ConfigMap.fromConfigMapName(this, `EnvFromConfigMap-${name}`, name)));
    }
    for (const name of props.envFrom?.secrets ?? []) {
      validateDns1123Subdomain(this, "'envFrom.secrets' entry", name);
      container.env.copyFrom(kplus.Env.fromSecret(kplus.Secret.fromSecretName(this, `EnvFromSecret-${name}`, name)));
    }

    const mountPaths = new Map<string, string>();
    const claimPath = (path: string, owner: string) => {
      if (!path.startsWith('/')) fail(this, `the mount path ${show(path)} of ${owner} must be absolute (start with '/').`);
      // '/tmp/', '//tmp' and '/x/../tmp' are all '/tmp' to the kubelet.
      const normalized = posix.normalize(path).replace(/(.)\/+$/, '$1');
      const other = mountPaths.get(normalized);
      if (other) fail(this, `the mount path ${show(path)} is used by both ${other} and ${owner}; give each its own path.`);
      mountPaths.set(normalized, owner);
    };
    claimPath('/tmp', "the writable '/tmp'");
    const tmp = kplus.Volume.fromEmptyDir(this, 'TmpVolume', 'tmp', { sizeLimit: props.tmpSize ?? Size.mebibytes(64) });
    container.mount('/tmp', tmp);

    if (props.config && Object.keys(props.config.files ?? {}).length > 0) {
      const path = props.config.mountPath ?? '/etc/config';
      claimPath(path, "the workload's config files");
      const files = Object.keys(props.config.files ?? {}).sort();
      const configMap = kplus.ConfigMap.fromConfigMapName(this, 'ConfigRef', `${this.name}-config`);
      const volume = kplus.Volume.fromConfigMap(this, 'ConfigVolume', configMap, {
        name: 'config',
        items: Object.fromEntries(files.map((f) => [f, { path: f }])),
      });
      container.mount(path, volume, { readOnly: true });
    }
    // Only the listed (or all) data keys become variables, one key reference each: a file of
    // 'files' is never exported, and a key that is no env name fails here instead of in the pod.
    const dataKeys = Object.keys(props.config?.data ?? {});
    const envKeys = props.config?.envKeys ?? dataKeys;
    if (envKeys.length > 0) {
      const configMap = kplus.ConfigMap.fromConfigMapName(this, 'ConfigEnvRef', `${this.name}-config`);
      for (const key of [...envKeys].sort()) {
        if (!dataKeys.includes(key)) fail(this, `'config.envKeys' entry ${show(key)} is not a key of 'config.data' (${dataKeys.map((k) => show(k)).join(', ') || 'none'}); list only keys of 'data'.`);
        if (!CONFIG_ENV_NAME.test(key)) {
          fail(this, `'config.data' key ${show(key)} is not a valid environment variable name, and every data key is exported as one; rename it (e.g. ${show(key.replace(/[^A-Za-z0-9_]/g, '_').toUpperCase())}), or list the keys to export in 'config.envKeys' (e.g. [] for none) and read the others with WorkloadEnv.fromConfigMap.`);
        }
        if (props.env?.[key] !== undefined) fail(this, `environment variable ${show(key)} is set both in 'env' and by 'config.data'; drop one of them.`);
        container.env.addVariable(key, kplus.EnvValue.fromConfigMap(configMap, key));
      }
    }
    const volumeNames = new Set(['tmp', 'config']);
    for (const [i, v] of (props.volumes ?? []).entries()) {
      validateDns1123Label(this, `'volumes[${i}].name'`, v.name);
      if (volumeNames.has(v.name) || /^(configmap|secret)-\d+$/.test(v.name)) fail(this, `'volumes[${i}].name' ${show(v.name)} is already used by the pod; give the volume another name.`);
      volumeNames.add(v.name);
      claimPath(v.mountPath, `the volume ${show(v.name)}`);
      if ((v.persistentVolumeClaim === undefined) === (v.emptyDir === undefined)) {
        fail(this, `'volumes[${i}]' (${show(v.name)}) must give exactly one of 'persistentVolumeClaim' and 'emptyDir'.`);
      }
      if (v.persistentVolumeClaim) {
        validateDns1123Subdomain(this, `'volumes[${i}].persistentVolumeClaim.claimName'`, v.persistentVolumeClaim.claimName);
        const claim = kplus.PersistentVolumeClaim.fromClaimName(this, `VolumeClaimRef${i}`, v.persistentVolumeClaim.claimName);
        container.mount(v.mountPath, kplus.Volume.fromPersistentVolumeClaim(this, `Volume${i}`, claim, { name: v.name, readOnly: v.readOnly ?? true }), { readOnly: v.readOnly ?? true });
      } else {
        const medium = v.emptyDir!.medium === 'Memory' ? kplus.EmptyDirMedium.MEMORY : undefined;
        container.mount(v.mountPath, kplus.Volume.fromEmptyDir(this, `Volume${i}`, v.name, { sizeLimit: v.emptyDir!.sizeLimit, medium }), { readOnly: v.readOnly ?? false });
      }
    }
    (props.configMapMounts ?? []).forEach((mount, i) => {
      validateDns1123Subdomain(this, "'configMapMounts' configMapName", mount.configMapName);
      claimPath(mount.mountPath, `the ConfigMap ${show(mount.configMapName)}`);
      const ref = kplus.ConfigMap.fromConfigMapName(this, `ConfigMapMountRef${i}`, mount.configMapName);
      container.mount(mount.mountPath, kplus.Volume.fromConfigMap(this, `ConfigMapMount${i}`, ref, { name: `configmap-${i}` }), { readOnly: true });
    });
    (props.secretMounts ?? []).forEach((mount, i) => {
      validateDns1123Subdomain(this, "'secretMounts' secretName", mount.secretName);
      claimPath(mount.mountPath, `the Secret ${show(mount.secretName)}`);
      const ref = kplus.Secret.fromSecretName(this, `SecretMountRef${i}`, mount.secretName);
      container.mount(mount.mountPath, kplus.Volume.fromSecret(this, `SecretMount${i}`, ref, { name: `secret-${i}` }), { readOnly: true });
    });
  }

  private envValue(name: string, env: WorkloadEnv): kplus.EnvValue {
    if (!ENV_NAME.test(name)) fail(this, `environment variable name ${show(name)} is not valid; use letters, digits, '_', '-' and '.', not starting with a digit (e.g. 'DATABASE_URL').`);
    const source = env.source;
    switch (source.kind) {
      case 'value':
        return kplus.EnvValue.fromValue(source.value);
      case 'configMap':
        validateDns1123Subdomain(this, `env ${show(name)} ConfigMap name`, source.configMapName);
        validateConfigMapKey(this, `env ${show(name)} ConfigMap key`, source.key);
        return kplus.EnvValue.fromConfigMap(kplus.ConfigMap.fromConfigMapName(this, `EnvConfigMap-${name}`, source.configMapName), source.key, { optional: source.optional });
      case 'secret':
        validateDns1123Subdomain(this, `env ${show(name)} Secret name`, source.secretName);
        validateConfigMapKey(this, `env ${show(name)} Secret key`, source.key);
        return kplus.EnvValue.fromSecretValue({ secret: kplus.Secret.fromSecretName(this, `EnvSecret-${name}`, source.secretName), key: source.key }, { optional: source.optional });
      case 'field':
        if (!WorkloadEnv.isKnownFieldPath(source.fieldPath)) {
          fail(this, `env ${show(name)} reads the pod field ${show(source.fieldPath)}, which the downward API does not serve; use one of ${WorkloadEnv.FIELD_PATHS.join(', ')}.`);
        }
        return kplus.EnvValue.fromFieldRef(source.fieldPath as kplus.EnvFieldPaths);
    }
  }

  /** Fields cdk8s-plus does not model are set on the rendered object, in one place. */
  private patchPodSpec(props: SecureDeploymentProps): void {
    const security = props.security ?? {};
    const obj = ApiObject.of(this.deployment);
    const spec = '/spec/template/spec';
    obj.addJsonPatch(JsonPatch.add(`${spec}/securityContext/seccompProfile`, { type: 'RuntimeDefault' }));
    // Quantities are written exactly as the user gave them (kplus would normalise '1Gi' to '1024Mi').
    // Patch values on a k8s L1 object pass through its generated converters, hence the L1 types.
    const quantities = (q: Required<ResourceQuantities>) => ({
      'cpu': k8s.Quantity.fromString(q.cpu),
      'ephemeral-storage': k8s.Quantity.fromString(q.ephemeralStorage),
      'memory': k8s.Quantity.fromString(q.memory),
    });
    obj.addJsonPatch(JsonPatch.add(`${spec}/containers/0/resources`, {
      limits: quantities(this.resources.limits),
      requests: quantities(this.resources.requests),
    }));
    this.addProbes(obj, props);
    if (security.hostPID) obj.addJsonPatch(JsonPatch.add(`${spec}/hostPID`, true));
    if (security.hostIPC) obj.addJsonPatch(JsonPatch.add(`${spec}/hostIPC`, true));
    if (props.imagePullSecrets?.length) this.addImagePullSecrets(...props.imagePullSecrets);
    if (props.nodeSelector && Object.keys(props.nodeSelector).length > 0) {
      validateLabels(this, "'nodeSelector'", props.nodeSelector);
      obj.addJsonPatch(JsonPatch.add(`${spec}/nodeSelector`, sortKeys(props.nodeSelector)));
    }
    // Tolerations and affinity go through cdk8s-plus' scheduling API rather than a patch, so that
    // later calls on `deployment.scheduling` (tolerate, attract, separate...) add to them.
    for (const t of props.tolerations ?? []) this.deployment.scheduling.tolerate(kplus.Node.tainted(this.toleration(t)));
    this.addNodeAffinity(props);
    if (props.priorityClassName !== undefined) {
      validateDns1123Subdomain(this, "'priorityClassName'", props.priorityClassName);
      obj.addJsonPatch(JsonPatch.add(`${spec}/priorityClassName`, props.priorityClassName));
    }
    const spread = props.spread ?? true;
    if (spread !== false && this.maxReplicas > 1) {
      const options: WorkloadSpreadProps = spread === true ? {} : spread;
      const weight = options.antiAffinityWeight ?? 100;
      validateInteger(this, "'spread.antiAffinityWeight'", weight, 1, 100);
      const hostKey = this.topologyKey("'spread.antiAffinityTopologyKey'", options.antiAffinityTopologyKey ?? 'kubernetes.io/hostname');
      const zoneKey = this.topologyKey("'spread.zoneTopologyKey'", options.zoneTopologyKey ?? 'topology.kubernetes.io/zone');
      const pods = kplus.Pods.select(this, 'SpreadPods', { labels: this.selectorLabels });
      this.deployment.scheduling.separate(pods, { topology: kplus.Topology.custom(hostKey), weight });
      obj.addJsonPatch(JsonPatch.add(`${spec}/topologySpreadConstraints`, [{
        labelSelector: { matchLabels: this.selectorLabels }, maxSkew: 1, topologyKey: zoneKey, whenUnsatisfiable: 'ScheduleAnyway',
      }]));
    } else if (spread !== false && spread !== true) {
      fail(this, `'spread' options are given, but the workload runs at most ${this.maxReplicas} replica, so there is nothing to spread; drop 'spread' or allow more replicas.`);
    }
    if (props.autoscaling) obj.addJsonPatch(JsonPatch.remove('/spec/replicas'));
  }

  /**
   * Exempts the Deployment from the conformance checks that misjudge what this construct does on
   * purpose, each with its reason (see docs/conformance.md). Nothing is exempted for values the
   * user chose: those findings are theirs to judge.
   */
  private exemptFromMisjudgedChecks(props: SecureDeploymentProps): void {
    const obj = ApiObject.of(this.deployment);
    const security = props.security ?? {};
    if (security.runAsUser === undefined && security.runAsGroup === undefined) {
      exemptFromConformanceCheck(obj, {
        tool: 'kube-score',
        check: 'container-security-context-user-group-id',
        reason: `uid/gid ${DEFAULT_ID} is the documented default: the USER of common non-root images, so files they own stay readable. `
          + 'The pod cannot gain privileges (runAsNonRoot, no privilege escalation, all capabilities dropped, RuntimeDefault seccomp); '
          + "set 'security.runAsUser' and 'runAsGroup' above 10000 where the image allows.",
      });
    }
    if (props.autoscaling && this.replicas > 1) {
      exemptFromConformanceCheck(obj, {
        tool: 'polaris',
        check: 'deploymentMissingReplicas',
        reason: `the HorizontalPodAutoscaler owns the replica count (minReplicas ${this.replicas}); spec.replicas is left out so that an apply never resets the autoscaler's scale.`,
      });
    }
  }

  /**
   * A budget that allows no eviction at the lowest replica count blocks every node drain (cluster
   * upgrades, autoscaler scale-down) until someone deletes it. Percentages round up, as in the
   * disruption controller.
   */
  private validateBudgetAllowsDrains(minAvailable: number | string | undefined, maxUnavailable: number | string): void {
    const replicas = this.replicas;
    const count = (v: number | string) => (typeof v === 'number' ? v : Math.ceil((Number(v.slice(0, -1)) * replicas) / 100));
    const blocking = minAvailable !== undefined ? count(minAvailable) >= replicas : count(maxUnavailable) === 0;
    if (blocking) {
      const given = minAvailable !== undefined ? `'disruptionBudget.minAvailable' (${minAvailable})` : `'disruptionBudget.maxUnavailable' (${maxUnavailable})`;
      fail(this, `${given} lets no pod be evicted with ${replicas} replicas, so it blocks every node drain; allow at least one disruption (e.g. maxUnavailable: 1, or a minAvailable below ${replicas}).`);
    }
  }

  private toleration(t: NonNullable<SecureDeploymentProps['tolerations']>[number]): kplus.NodeTaintQuery {
    return tolerationQuery(this, t);
  }

  private topologyKey(what: string, key: string): string {
    if (!/^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/.test(key)) {
      fail(this, `${what} ${show(key)} is not a node label key; use e.g. 'kubernetes.io/hostname' or 'topology.kubernetes.io/zone'.`);
    }
    return key;
  }

  private addNodeAffinity(props: SecureDeploymentProps): void {
    const affinity = props.nodeAffinity;
    if (affinity === undefined) return;
    const required = Object.entries(affinity.required ?? {}).sort(([a], [b]) => a.localeCompare(b));
    const preferred = affinity.preferred ?? [];
    if (required.length === 0 && preferred.length === 0) fail(this, "'nodeAffinity' is empty; give 'required' or 'preferred' node labels, or leave it out.");
    const query = (what: string, key: string, values: string[]) => {
      this.topologyKey(`${what} key`, key);
      if (values.length === 0) fail(this, `${what} ${show(key)} has no values; list the label values the node may have.`);
      validateLabels(this, what, Object.fromEntries(values.map((v) => [key, v])));
      return kplus.NodeLabelQuery.in(key, values);
    };
    if (required.length > 0) {
      this.deployment.scheduling.attract(kplus.Node.labeled(...required.map(([key, values]) => query("'nodeAffinity.required'", key, values))));
    }
    for (const p of preferred) {
      validateInteger(this, "'nodeAffinity.preferred' weight", p.weight, 1, 100);
      this.deployment.scheduling.attract(kplus.Node.labeled(query("'nodeAffinity.preferred'", p.key, p.values)), { weight: p.weight });
    }
  }

  private addProbes(obj: ApiObject, props: SecureDeploymentProps): void {
    const probes = props.probes ?? {};
    const kinds = [
      { field: 'livenessProbe', key: 'liveness', probe: probes.liveness ?? WorkloadProbe.http('/health'), defaults: { period: 10, failure: 3 } },
      { field: 'readinessProbe', key: 'readiness', probe: probes.readiness ?? WorkloadProbe.http('/ready'), defaults: { period: 5, failure: 3 } },
      { field: 'startupProbe', key: 'startup', probe: probes.startup ?? WorkloadProbe.http('/startup'), defaults: { period: 5, failure: 30 } },
    ];
    for (const { field, key, probe, defaults } of kinds) {
      const action = probe.action;
      if (action.kind === 'disabled') continue; // recorded as a pod annotation in createDeployment
      const handler = (() => {
        switch (action.kind) {
          case 'http': {
            this.validatePath(`the ${key} probe path`, action.path);
            const port = this.requirePort(`the ${key} probe port`, action.port ?? this.ports[0].name);
            return { httpGet: { path: action.path, port: k8s.IntOrString.fromString(port.name), scheme: 'HTTP' } };
          }
          case 'tcp':
            return { tcpSocket: { port: k8s.IntOrString.fromString(this.requirePort(`the ${key} probe port`, action.port ?? this.ports[0].name).name) } };
          case 'exec':
            if (action.command.length === 0) fail(this, `the ${key} probe command is empty; give the command and its arguments (e.g. ['pg_isready']).`);
            return { exec: { command: [...action.command] } };
        }
      })();
      obj.addJsonPatch(JsonPatch.add(`/spec/template/spec/containers/0/${field}`, {
        ...handler,
        ...this.probeTiming(key, probe.timing, defaults),
      }));
    }
  }

  private probeTiming(key: string, timing: ProbeTiming, defaults: { period: number; failure: number }) {
    const seconds = (what: string, d: Duration | undefined, fallback: number, min: number) => {
      const value = d?.toSeconds() ?? fallback;
      validateInteger(this, `the ${key} probe '${what}' (seconds)`, value, min);
      return value;
    };
    const successThreshold = timing.successThreshold ?? 1;
    validateInteger(this, `the ${key} probe 'successThreshold'`, successThreshold, 1);
    if (key !== 'readiness' && successThreshold !== 1) {
      fail(this, `the ${key} probe 'successThreshold' is ${successThreshold}, but Kubernetes requires 1 for ${key} probes; set it to 1.`);
    }
    const failureThreshold = timing.failureThreshold ?? defaults.failure;
    validateInteger(this, `the ${key} probe 'failureThreshold'`, failureThreshold, 1);
    return {
      failureThreshold,
      initialDelaySeconds: seconds('initialDelay', timing.initialDelay, 0, 0),
      periodSeconds: seconds('period', timing.period, defaults.period, 1),
      successThreshold,
      timeoutSeconds: seconds('timeout', timing.timeout, 3, 1),
    };
  }

  private createConfigMap(props: SecureDeploymentProps): k8s.KubeConfigMap {
    const data = this.configData(props);
    const name = `${this.name}-config`;
    if (!isDns1123Subdomain(name)) fail(this, `the ConfigMap name ${show(name)} is too long; shorten 'name'.`);
    return new LinearKubeConfigMap(this, 'ConfigMap', {
      metadata: { name, labels: this.podLabels },
      data: sortKeys(data),
    });
  }

  /** The ConfigMap's data (`data` and `files` together), with every key checked. */
  private configData(props: SecureDeploymentProps): Record<string, string> {
    const data = { ...props.config?.data };
    for (const [file, text] of Object.entries(props.config?.files ?? {})) {
      if (file in data) fail(this, `'config' key ${show(file)} is both in 'data' and in 'files'; rename one of them.`);
      data[file] = text;
    }
    for (const key of Object.keys(data)) {
      if (!CONFIG_KEY.test(key) || key.length > 253) fail(this, `'config' key ${show(key)} is not a valid ConfigMap key; use letters, digits, '-', '_' and '.' (e.g. 'app.yaml').`);
    }
    validateConfigMapSize(this, "'config' (data and files)", data);
    return data;
  }

  private createService(props: SecureDeploymentProps): k8s.KubeService {
    const options = props.service || {};
    const type = options.type ?? 'ClusterIP';
    const annotations: Record<string, string> = { ...options.annotations };
    if (type === 'LoadBalancer') {
      if (options.loadBalancer) {Object.assign(annotations, options.loadBalancer.annotations);} else if (!options.internetFacingReason) {
        fail(this, "'service.type' is 'LoadBalancer' without a 'loadBalancer' preset, which provisions an internet-facing load balancer; use LoadBalancerPreset.awsInternalNlb() or .alibabaInternalSlb(), or set 'internetFacingReason'.");
      }
    } else if (options.loadBalancer) {
      fail(this, `'service.loadBalancer' (${options.loadBalancer.name}) needs 'service.type: LoadBalancer'; set the type or drop the preset.`);
    }
    validateServiceName(this, "the Service name (from 'name')", this.name);
    validateAnnotations(this, "'service.annotations'", annotations);
    const exposed = options.ports?.map((name) => this.requirePort("'service.ports' entry", name)) ?? this.ports;
    const service = new k8s.KubeService(this, 'Service', {
      metadata: {
        name: this.name,
        labels: this.podLabels,
        annotations: Object.keys(annotations).length ? sortKeys(annotations) : undefined,
      },
      spec: {
        type,
        selector: this.selectorLabels,
        ports: exposed.map((p) => ({
          name: p.name, port: this.servicePorts.get(p.name) ?? p.number, protocol: p.protocol, targetPort: k8s.IntOrString.fromString(p.name),
        })),
      },
    });
    // The reason given for facing the internet is the suppression the policy pack asks for.
    if (type === 'LoadBalancer' && !options.loadBalancer) PolicySuppression.add(service, 'internal-load-balancer', options.internetFacingReason!);
    return service;
  }

  private createAutoscaler(props: SecureDeploymentProps): k8s.KubeHorizontalPodAutoscalerV2 {
    const scaling = props.autoscaling!;
    const target = (name: string, percent: number) => ({
      type: 'Resource',
      resource: { name, target: { type: 'Utilization', averageUtilization: percent } },
    });
    return new k8s.KubeHorizontalPodAutoscalerV2(this, 'Autoscaler', {
      metadata: { name: this.name, labels: this.podLabels },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: this.name },
        minReplicas: scaling.minReplicas,
        maxReplicas: scaling.maxReplicas,
        metrics: [
          target('cpu', scaling.cpuUtilizationPercent ?? 70),
          ...(scaling.memoryUtilizationPercent === false ? [] : [target('memory', scaling.memoryUtilizationPercent ?? 80)]),
        ],
      },
    });
  }

  private createDisruptionBudget(props: SecureDeploymentProps): k8s.KubePodDisruptionBudget {
    const budget = props.disruptionBudget || {};
    if (budget.maxUnavailable !== undefined && budget.minAvailable !== undefined) {
      fail(this, "'disruptionBudget' sets both 'maxUnavailable' and 'minAvailable'; Kubernetes accepts only one of them.");
    }
    const value = (what: string, v: number | string) => {
      this.percentOrAbsolute(`disruptionBudget.${what}`, v);
      return typeof v === 'number' ? k8s.IntOrString.fromNumber(v) : k8s.IntOrString.fromString(v);
    };
    this.validateBudgetAllowsDrains(budget.minAvailable, budget.maxUnavailable ?? 1);
    return new k8s.KubePodDisruptionBudget(this, 'DisruptionBudget', {
      metadata: { name: this.name, labels: this.podLabels },
      spec: {
        selector: { matchLabels: this.selectorLabels },
        ...(budget.minAvailable !== undefined
          ? { minAvailable: value('minAvailable', budget.minAvailable) }
          : { maxUnavailable: value('maxUnavailable', budget.maxUnavailable ?? 1) }),
        unhealthyPodEvictionPolicy: budget.unhealthyPodEvictionPolicy ?? 'AlwaysAllow',
      },
    });
  }
}

/** A toleration as a cdk8s-plus taint query, checked. */
export function tolerationQuery(scope: Construct, t: WorkloadToleration): kplus.NodeTaintQuery {
  const operator = t.operator ?? 'Equal';
  if (t.key !== undefined && t.key !== '' && !isQualifiedName(t.key)) {
    fail(scope, `toleration key ${show(t.key)} is not a valid taint key: use '[prefix/]name' with a DNS subdomain prefix and a name of at most 63 alphanumerics, '-', '_' or '.' (e.g. 'dedicated' or 'node.kubernetes.io/unreachable').`);
  }
  if (operator === 'Exists' && t.value !== undefined) {
    fail(scope, `toleration ${show(t)} has operator 'Exists' and a value; drop the value or use operator 'Equal'.`);
  }
  if (t.tolerationSeconds !== undefined && t.effect !== 'NoExecute') {
    fail(scope, `toleration ${show(t)} sets 'tolerationSeconds', which only applies to effect 'NoExecute'; set that effect or drop the seconds.`);
  }
  if (t.tolerationSeconds !== undefined) validateInteger(scope, 'toleration tolerationSeconds', t.tolerationSeconds, 0);
  const options = {
    effect: t.effect as kplus.TaintEffect | undefined,
    evictAfter: t.tolerationSeconds !== undefined ? Duration.seconds(t.tolerationSeconds) : undefined,
  };
  if (operator === 'Exists') {
    // No key: every taint (of `effect`, when given); an empty key is what Kubernetes stores for it.
    if (t.key === undefined || t.key === '') return t.effect === undefined && t.tolerationSeconds === undefined ? kplus.NodeTaintQuery.any() : kplus.NodeTaintQuery.exists('', options);
    return kplus.NodeTaintQuery.exists(t.key, options);
  }
  if (t.key === undefined || t.key === '') fail(scope, `toleration ${show(t)} has no key, which needs operator 'Exists' (tolerate every taint); give a key or set operator 'Exists'.`);
  return kplus.NodeTaintQuery.is(t.key, t.value ?? '', options);
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}
