import { createHash } from 'node:crypto';
import { ApiObject, Duration, JsonPatch, Size, SizeRoundingBehavior } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { k8s } from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import { fail, show } from '../common/errors';
import { parseQuantity, requireRequestWithinLimit } from '../common/quantity';
import { isDns1123Subdomain, validateDns1123Subdomain, validatePortNumber } from '../common/validation';
import { isIsolated, NamespacePeer } from '../network/implied-flows';
import { WorkloadNetworkPolicy } from '../network/workload-network-policy';
import { requirePinnedImage } from '../workload/image-reference';
import { IWorkload } from '../workload/workload';

/** The pinned Fluent Bit image the sidecar runs by default. */
export const FLUENT_BIT_IMAGE = 'cr.fluentbit.io/fluent/fluent-bit:4.0.3';
/** The port of Fluent Bit's HTTP server (health and metrics). */
export const FLUENT_BIT_HTTP_PORT = 2020;

/** Print records to the sidecar's stdout, for the node's log agent to pick up. */
export interface FluentBitStdoutOutput {
  readonly kind: 'stdout';
}

/** Forward records to Fluentd or a Fluent Bit aggregator. */
export interface FluentBitForwardOutput {
  readonly kind: 'forward';
  /** The aggregator's host name or IP (e.g. `fluentd.logging.svc`). */
  readonly host: string;
  /** @default 24224 */
  readonly port?: number;
  /** Encrypt the connection. @default true */
  readonly tls?: boolean;
}

/** Index records into Elasticsearch or OpenSearch. */
export interface FluentBitElasticsearchOutput {
  readonly kind: 'elasticsearch';
  /** The cluster's host name or IP. */
  readonly host: string;
  /** @default 9200 */
  readonly port?: number;
  /** The index. @default 'app-logs' */
  readonly index?: string;
  /** Encrypt the connection. @default true */
  readonly tls?: boolean;
}

/** Push records to Grafana Loki. */
export interface FluentBitLokiOutput {
  readonly kind: 'loki';
  /** Loki's host name or IP. */
  readonly host: string;
  /** @default 3100 */
  readonly port?: number;
  /** Encrypt the connection. @default false - in-cluster Loki usually serves plain HTTP */
  readonly tls?: boolean;
}

/** Where the sidecar ships the records. */
export type FluentBitOutput = FluentBitStdoutOutput | FluentBitForwardOutput | FluentBitElasticsearchOutput | FluentBitLokiOutput;

/** Options of {@link FluentBitSidecar} (and {@link addFluentBitSidecar}). */
export interface FluentBitSidecarOptions {
  /** Where the application writes its log files; mounted read-write in the app, read-only in the sidecar. @default '/var/log/app' */
  readonly logDir?: string;
  /** The files to tail inside `logDir`. @default '*.log' */
  readonly logFiles?: string;
  /** How each line is parsed: `json` (the bundled JSON parser) or `none` (kept as `log`). @default 'json' */
  readonly parser?: 'json' | 'none';
  /** The JSON field holding the timestamp. @default 'time' */
  readonly timeKey?: string;
  /** The strptime format of `timeKey`. @default '%Y-%m-%dT%H:%M:%S.%L%z' (RFC 3339 with milliseconds) */
  readonly timeFormat?: string;
  /** Where to ship records. @default { kind: 'stdout' } */
  readonly output?: FluentBitOutput;
  /** The image; a tag or digest is required and `latest` is refused. @default FLUENT_BIT_IMAGE */
  readonly image?: string;
  /** CPU request. @default '50m' */
  readonly cpuRequest?: string;
  /** CPU limit. @default '200m' */
  readonly cpuLimit?: string;
  /** Memory request. @default '64Mi' */
  readonly memoryRequest?: string;
  /** Memory limit. @default '128Mi' */
  readonly memoryLimit?: string;
  /** The size the shared log volume may grow to before the pod is evicted; rotate logs below it. @default Size.mebibytes(512) */
  readonly logVolumeSizeLimit?: Size;
  /** The UID (and GID) the sidecar runs as. @default 10001 */
  readonly user?: number;
  /** The name of the ConfigMap. @default - `<pod workload name>-fluent-bit` */
  readonly configMapName?: string;
  /**
   * Who receives the logs, for the NetworkPolicy of an isolated workload: the CIDR of the output
   * host, or the namespace (and pod labels) of an in-cluster aggregator. {@link addFluentBitSidecar}
   * opens the egress to it when the workload is isolated (see `isIsolated`).
   * @default - for an IPv4 `host`, that address (`/32`); for a host name, none: then an isolated workload is refused
   */
  readonly outputPeer?: { readonly cidr: string } | NamespacePeer;
}

/** Props of {@link FluentBitSidecar}. */
export interface FluentBitSidecarProps extends FluentBitSidecarOptions {
  /** The pod workload to add the sidecar to (a cdk8s-plus Deployment, StatefulSet, ...). */
  readonly workload: kplus.AbstractPod & IConstruct;
  /** The application container writing the log files. */
  readonly container: kplus.Container;
}

/** Something that exposes its cdk8s-plus workload and main container, as `SecureDeployment` does. */
export interface IHasMainContainer extends IConstruct {
  readonly deployment: kplus.AbstractPod & IConstruct;
  readonly container: kplus.Container;
}

const CONTAINER_NAME = 'fluent-bit';
/** The default port of each output. */
const OUTPUT_PORTS = { forward: 24224, elasticsearch: 9200, loki: 3100 } as const;
const CONFIG_DIR = '/fluent-bit/etc';
const STATE_DIR = '/fluent-bit/state';

/**
 * A Fluent Bit log-shipping sidecar. It adds to the pod:
 * - an `emptyDir` volume (size-limited) mounted read-write at `logDir` in the app container and
 *   read-only in the sidecar, plus a small `emptyDir` for the tail offsets database;
 * - a ConfigMap with `fluent-bit.conf` (tail input, pod/namespace/node enrichment, the output)
 *   and `parsers.conf` (a JSON parser), and a pod annotation with its SHA-256 so a config change
 *   rolls the pods;
 * - the `fluent-bit` container: pinned image, non-root UID, read-only root filesystem, no
 *   privilege escalation, all capabilities dropped, `RuntimeDefault` seccomp, CPU and memory
 *   requests and limits, liveness on `/api/v1/health` and readiness on `/` of the HTTP server
 *   on port 2020 — so the pod still passes Pod Security Standards *restricted*.
 */
export class FluentBitSidecar extends Construct {
  /** The sidecar container. */
  public readonly container: kplus.Container;
  /** The ConfigMap holding the Fluent Bit configuration. */
  public readonly configMap: kplus.ConfigMap;
  /** The rendered `fluent-bit.conf`. */
  public readonly fluentBitConf: string;
  /** The rendered `parsers.conf`. */
  public readonly parsersConf: string;
  /** The directory the app writes its logs to. */
  public readonly logDir: string;
  /** Where the output ships to (host and port), unless it is `stdout`. */
  public readonly outputEndpoint?: { readonly host: string; readonly port: number };

  constructor(scope: Construct, id: string, props: FluentBitSidecarProps) {
    super(scope, id);
    const pod = props.workload;
    if (!pod.containers.includes(props.container)) {
      fail(this, `container ${show(props.container.name)} is not a container of ${show(workloadName(pod))}: pass the workload's own main container.`);
    }
    if (pod.containers.some((c) => c.name === CONTAINER_NAME)) {
      fail(this, `${show(workloadName(pod))} already has a container named ${show(CONTAINER_NAME)}: add at most one Fluent Bit sidecar per workload.`);
    }
    const clash = pod.containers.flatMap((c) => c.ports).find((p) => p.number === FLUENT_BIT_HTTP_PORT);
    if (clash) {
      fail(this, `port ${FLUENT_BIT_HTTP_PORT} is already used by the workload (${show(clash.name ?? String(clash.number))}), and Fluent Bit's HTTP server needs it: containers of a pod share one network namespace. Move the app off port ${FLUENT_BIT_HTTP_PORT}.`);
    }

    this.logDir = props.logDir ?? '/var/log/app';
    if (!/^\/[^\s:]*[^/\s:]$/.test(this.logDir) || this.logDir.split('/').includes('..')) {
      fail(this, `'logDir' ${show(this.logDir)} is not an absolute directory path: start with '/', no '..', spaces, ':' or trailing '/' (e.g. '/var/log/app').`);
    }
    if ([CONFIG_DIR, STATE_DIR, '/fluent-bit'].some((p) => this.logDir === p || this.logDir.startsWith(`${p}/`) || p.startsWith(`${this.logDir}/`))) {
      fail(this, `'logDir' ${show(this.logDir)} overlaps the sidecar's own '/fluent-bit' directories: choose another directory (e.g. '/var/log/app').`);
    }
    const logFiles = props.logFiles ?? '*.log';
    if (logFiles === '' || logFiles.includes('/') || /\s/.test(logFiles)) {
      fail(this, `'logFiles' ${show(logFiles)} is not a file pattern inside 'logDir': use a glob without '/' or spaces (e.g. '*.log').`);
    }
    const image = props.image ?? FLUENT_BIT_IMAGE;
    requirePinnedImage(this, image, FLUENT_BIT_IMAGE);
    const user = props.user ?? 10001;
    if (!Number.isInteger(user) || user < 1 || user > 2147483647) {
      fail(this, `'user' ${show(user)} is not allowed: use a non-root UID, a whole number from 1 to 2147483647 (e.g. 10001).`);
    }
    const cpuRequest = props.cpuRequest ?? '50m';
    const cpuLimit = props.cpuLimit ?? '200m';
    const memoryRequest = props.memoryRequest ?? '64Mi';
    const memoryLimit = props.memoryLimit ?? '128Mi';
    checkRequestLimit(this, 'cpu', cpuRequest, cpuLimit, '50m');
    checkRequestLimit(this, 'memory', memoryRequest, memoryLimit, '64Mi');
    const parser = props.parser ?? 'json';
    const output = props.output ?? { kind: 'stdout' };
    const name = workloadName(pod);
    if (output.kind !== 'stdout') this.outputEndpoint = { host: output.host, port: output.port ?? OUTPUT_PORTS[output.kind] };

    this.parsersConf = renderSection('PARSER', [
      ['Name', 'json'],
      ['Format', 'json'],
      ['Time_Key', checkConfigValue(this, "'timeKey'", props.timeKey ?? 'time')],
      ['Time_Format', checkConfigValue(this, "'timeFormat'", props.timeFormat ?? '%Y-%m-%dT%H:%M:%S.%L%z')],
      ['Time_Keep', 'On'],
    ]);
    this.fluentBitConf = [
      renderSection('SERVICE', [
        ['Flush', '5'],
        ['Daemon', 'Off'],
        ['Log_Level', 'info'],
        ['Parsers_File', `${CONFIG_DIR}/parsers.conf`],
        ['HTTP_Server', 'On'],
        ['HTTP_Listen', '0.0.0.0'],
        ['HTTP_Port', String(FLUENT_BIT_HTTP_PORT)],
        ['Health_Check', 'On'],
        ['HC_Errors_Count', '5'],
        ['HC_Retry_Failure_Count', '5'],
        ['HC_Period', '60'],
      ]),
      renderSection('INPUT', [
        ['Name', 'tail'],
        ['Tag', `app.${name}`],
        ['Path', `${this.logDir}/${logFiles}`],
        ...(parser === 'json' ? [['Parser', 'json'] as [string, string]] : []),
        ['DB', `${STATE_DIR}/tail.db`],
        ['Mem_Buf_Limit', '16MB'],
        ['Skip_Long_Lines', 'On'],
        ['Refresh_Interval', '10'],
      ]),
      renderSection('FILTER', [
        ['Name', 'record_modifier'],
        ['Match', '*'],
        ['Record', `app ${name}`],
        ['Record', 'k8s_pod ${POD_NAME}'],
        ['Record', 'k8s_namespace ${POD_NAMESPACE}'],
        ['Record', 'k8s_node ${NODE_NAME}'],
      ]),
      renderSection('OUTPUT', renderOutput(this, output, name)),
    ].join('\n');

    this.configMap = new kplus.ConfigMap(this, 'Config', {
      metadata: { name: props.configMapName ?? `${name}-fluent-bit`, namespace: pod.metadata.namespace },
      data: { 'fluent-bit.conf': this.fluentBitConf, 'parsers.conf': this.parsersConf },
    });
    validateDns1123Subdomain(this, "'configMapName'", this.configMap.name);
    const checksum = createHash('sha256').update(this.fluentBitConf).update('\0').update(this.parsersConf).digest('hex');
    pod.podMetadata.addAnnotation('checksum/fluent-bit-config', checksum);

    const logSize = props.logVolumeSizeLimit ?? Size.mebibytes(512);
    const stateSize = Size.mebibytes(64);
    const logs = kplus.Volume.fromEmptyDir(this, 'Logs', 'app-logs', { sizeLimit: logSize });
    const state = kplus.Volume.fromEmptyDir(this, 'State', 'fluent-bit-state', { sizeLimit: stateSize });
    // The sidecar's ephemeral-storage limit covers the volumes it adds to the pod (the kubelet
    // compares the pod's emptyDirs with the sum of its containers' limits) plus its own logs.
    const ephemeralLimitMiB = Math.ceil(logSize.toMebibytes({ rounding: SizeRoundingBehavior.NONE })) + stateSize.toMebibytes() + 64;
    const config = kplus.Volume.fromConfigMap(this, 'ConfigVolume', this.configMap, { name: 'fluent-bit-config' });
    props.container.mount(this.logDir, logs);

    const containerIndex = pod.containers.length;
    this.container = pod.addContainer({
      name: CONTAINER_NAME,
      image,
      // Always, like the app container: the registry checks the pod's pull credentials on every start.
      imagePullPolicy: kplus.ImagePullPolicy.ALWAYS,
      command: ['/fluent-bit/bin/fluent-bit'],
      args: [`--config=${CONFIG_DIR}/fluent-bit.conf`],
      ports: [{ name: 'fluent-bit', number: FLUENT_BIT_HTTP_PORT, protocol: kplus.Protocol.TCP }],
      envVariables: {
        POD_NAME: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_NAME),
        POD_NAMESPACE: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_NAMESPACE),
        NODE_NAME: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.NODE_NAME),
      },
      volumeMounts: [
        { path: this.logDir, volume: logs, readOnly: true },
        { path: CONFIG_DIR, volume: config, readOnly: true },
        { path: STATE_DIR, volume: state },
      ],
      resources: {
        cpu: { request: kplus.Cpu.millis(millicores(this, 'cpuRequest', cpuRequest)), limit: kplus.Cpu.millis(millicores(this, 'cpuLimit', cpuLimit)) },
        memory: { request: mebibytes(this, 'memoryRequest', memoryRequest), limit: mebibytes(this, 'memoryLimit', memoryLimit) },
      },
      securityContext: {
        ensureNonRoot: true,
        user,
        group: user,
        privileged: false,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: [kplus.Capability.ALL] },
        seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
      },
      liveness: kplus.Probe.fromHttpGet('/api/v1/health', {
        port: FLUENT_BIT_HTTP_PORT, initialDelaySeconds: Duration.seconds(10), periodSeconds: Duration.seconds(30),
        failureThreshold: 3, timeoutSeconds: Duration.seconds(5),
      }),
      readiness: kplus.Probe.fromHttpGet('/', {
        port: FLUENT_BIT_HTTP_PORT, periodSeconds: Duration.seconds(10), failureThreshold: 3, timeoutSeconds: Duration.seconds(5),
      }),
    });
    // kplus writes ephemeral storage in whole gibibytes only, so it is set on the rendered object.
    const resources = `/spec/template/spec/containers/${containerIndex}/resources`;
    ApiObject.of(pod).addJsonPatch(
      JsonPatch.add(`${resources}/requests/ephemeral-storage`, k8s.Quantity.fromString('64Mi')),
      JsonPatch.add(`${resources}/limits/ephemeral-storage`, k8s.Quantity.fromString(`${ephemeralLimitMiB}Mi`)),
    );
  }
}

/** Adds a {@link FluentBitSidecar} to a workload that exposes `deployment` and `container` (e.g. `SecureDeployment`). */
export function addFluentBitSidecar(workload: IHasMainContainer, options: FluentBitSidecarOptions = {}): FluentBitSidecar {
  const sidecar = new FluentBitSidecar(workload, 'FluentBit', { ...options, workload: workload.deployment, container: workload.container });
  const endpoint = sidecar.outputEndpoint;
  const target = workload as Partial<IWorkload>;
  // Under default-deny the sidecar's output is a flow of the workload's pods: open it, or refuse.
  if (endpoint !== undefined && target.selectorLabels !== undefined && isIsolated(target as IWorkload)) {
    const policy = WorkloadNetworkPolicy.of(target as IWorkload);
    const peer = options.outputPeer ?? (/^\d{1,3}(\.\d{1,3}){3}$/.test(endpoint.host) ? { cidr: `${endpoint.host}/32` } : undefined);
    if (peer === undefined) {
      fail(sidecar, `the output host ${show(endpoint.host)} is a name, and the pods of ${show(target.name)} are isolated by NetworkPolicy, so the logs could not leave the pod; set 'outputPeer' to the aggregator's CIDR ({ cidr: '10.0.5.0/24' }) or namespace ({ namespace: 'logging', podLabels: { app: 'fluentd' } }).`);
    }
    if ('cidr' in peer) policy.allowToCidr(peer.cidr, { ports: [endpoint.port] });
    else policy.allowToNamespace(peer.namespace, { ports: [endpoint.port], podSelector: peer.podLabels });
  }
  return sidecar;
}

function workloadName(pod: kplus.AbstractPod): string {
  return pod.name;
}

function checkRequestLimit(scope: IConstruct, resource: 'cpu' | 'memory', request: string, limit: string, example: string): void {
  const { request: req } = requireRequestWithinLimit(scope, `'${resource}Request'`, request, `'${resource}Limit'`, limit, example);
  if (req <= 0) fail(scope, `'${resource}Request' ${show(request)} must be above zero so the scheduler reserves room for the sidecar (e.g. ${show(example)}).`);
}

function millicores(scope: IConstruct, what: string, text: string): number {
  const millis = Math.ceil(parseFloatQuantity(text) * 1000);
  // Beyond 2^53 the number prints in exponent notation ('1.15e+21m'), which is no quantity.
  if (!Number.isSafeInteger(millis)) fail(scope, `'${what}' ${show(text)} is more CPU than any node has: give cores or millicores (e.g. '200m').`);
  return millis;
}

function mebibytes(scope: IConstruct, what: string, text: string): Size {
  const bytes = parseFloatQuantity(text);
  const mib = bytes / 2 ** 20;
  if (!Number.isInteger(mib)) fail(scope, `'${what}' ${show(text)} is not a whole number of mebibytes, which the sidecar's resources are expressed in: use Mi or Gi (e.g. '64Mi').`);
  return Size.mebibytes(mib);
}

function parseFloatQuantity(text: string): number {
  // Already validated by checkRequestLimit.
  return parseQuantity(text) as number;
}

function checkConfigValue(scope: IConstruct, what: string, value: string): string {
  if (value.trim() === '' || /[\n\r]/.test(value)) fail(scope, `${what} ${show(value)} cannot go into fluent-bit.conf: use one non-empty line.`);
  return value;
}

function renderSection(name: string, entries: readonly (readonly [string, string])[]): string {
  const width = Math.max(...entries.map(([k]) => k.length)) + 1;
  return `[${name}]\n${entries.map(([k, v]) => `    ${k.padEnd(width)}${v}`).join('\n')}\n`;
}

function renderOutput(scope: IConstruct, output: FluentBitOutput, app: string): [string, string][] {
  if (output.kind === 'stdout') return [['Name', 'stdout'], ['Match', '*'], ['Format', 'json_lines']];
  if (!isDns1123Subdomain(output.host) && !/^\d{1,3}(\.\d{1,3}){3}$/.test(output.host)) {
    fail(scope, `output 'host' ${show(output.host)} is not a host name or IPv4 address (e.g. 'fluentd.logging.svc').`);
  }
  const port = output.port ?? OUTPUT_PORTS[output.kind];
  validatePortNumber(scope, "output 'port'", port);
  const tls = output.tls ?? output.kind !== 'loki';
  const common: [string, string][] = [['Match', '*'], ['Host', output.host], ['Port', String(port)], ['tls', tls ? 'On' : 'Off'], ['tls.verify', tls ? 'On' : 'Off'], ['Retry_Limit', '5']];
  switch (output.kind) {
    case 'forward':
      return [['Name', 'forward'], ...common];
    case 'elasticsearch': {
      const index = output.index ?? 'app-logs';
      if (!/^[a-z0-9][a-z0-9._-]*$/.test(index)) fail(scope, `output 'index' ${show(index)} is not a valid index name: use lowercase letters, digits, '.', '_' and '-' (e.g. 'app-logs').`);
      return [['Name', 'es'], ...common, ['Index', index], ['Suppress_Type_Name', 'On']];
    }
    case 'loki':
      return [['Name', 'loki'], ...common, ['Labels', `app=${app}, namespace=\${POD_NAMESPACE}`]];
  }
}
