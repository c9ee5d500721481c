import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { Connectivity, ConnectivityOptions } from './connectivity';
import { DEFAULT_INGRESS_CONTROLLER, DEFAULT_PROMETHEUS, NamespacePeer } from './implied-flows';
import { selectorMatches } from './label-selector';
import { PodInfo } from './manifests';
import { GuardrailError } from '../common/errors';
import type { BeforeWriteHook } from '../synth/synth-app';
import { IWorkload } from '../workload/workload';

type Json = Record<string, any>;

/** A flow a workload declares it needs: `from` calls `to` (e.g. a data service's `clients`). */
export interface DeclaredCaller {
  /** The calling workload. */
  readonly from: IWorkload;
  /** The called workload. */
  readonly to: IWorkload;
  /** The port on `to`, by name or number. @default - every port `to` declares */
  readonly port?: string | number;
}

/** Options of {@link findMissingFlows}. */
export interface WiringCheckOptions {
  /** Where the ingress controller runs and its pod labels. @default DEFAULT_INGRESS_CONTROLLER */
  readonly ingressController?: NamespacePeer;
  /** Where Prometheus runs and its pod labels. @default DEFAULT_PROMETHEUS */
  readonly prometheus?: NamespacePeer;
  /** Labels of namespaces the manifests do not declare (see `Connectivity`). @default - none */
  readonly namespaces?: ConnectivityOptions['namespaces'];
  /** Callers besides those the constructs declare. @default [] */
  readonly callers?: readonly DeclaredCaller[];
}

/** A flow the app needs and its NetworkPolicies do not allow. */
export interface WiringFinding {
  /** The source: a pod id (`<namespace>/<name>`) or a described peer. */
  readonly from: string;
  /** The destination pod id. */
  readonly to: string;
  /** The port, `8080/TCP`. */
  readonly port: string;
  /** The object that implies the flow (`Ingress production/shop-edge`). */
  readonly because: string;
  /** The whole message, with the fix. */
  readonly message: string;
}

interface Demand {
  readonly fromPod: string;
  readonly fromText: string;
  readonly to: PodInfo;
  readonly port: number | string;
  readonly because: string;
  readonly fix: string;
}

const PEER_POD = { ingress: 'guardrails-ingress-controller', prometheus: 'guardrails-prometheus' };

function describePeer(peer: NamespacePeer): string {
  const labels = Object.entries(peer.podLabels ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
  return labels ? `pods ${labels} of namespace '${peer.namespace}'` : `namespace '${peer.namespace}'`;
}

function peerCall(peer: NamespacePeer, port: string | number): string {
  const selector = peer.podLabels !== undefined && Object.keys(peer.podLabels).length > 0 ? `, podSelector: ${JSON.stringify(peer.podLabels)}` : '';
  return `allowFromNamespace('${peer.namespace}', { port: ${JSON.stringify(port)}${selector} })`;
}

/**
 * The flows the app's own objects imply that its NetworkPolicies block, evaluated with
 * {@link Connectivity}: every Ingress backend must be reachable from the ingress controller, every
 * ServiceMonitor/PodMonitor target from Prometheus, every declared caller (a data service's
 * `clients`, `options.callers`) must reach its Service's pods. Backends and targets whose
 * Service or pods are not in `manifests` are not judged (they are deployed elsewhere).
 */
export function findMissingFlows(
  manifests: readonly Json[], options: WiringCheckOptions = {}, declared: readonly DeclaredCaller[] = [],
): WiringFinding[] {
  const controller = options.ingressController ?? DEFAULT_INGRESS_CONTROLLER;
  const prometheus = options.prometheus ?? DEFAULT_PROMETHEUS;
  const net = new Connectivity(manifests, {
    namespaces: options.namespaces,
    extraPods: [
      { name: PEER_POD.ingress, namespace: controller.namespace, labels: { ...(controller.podLabels ?? {}) } },
      { name: PEER_POD.prometheus, namespace: prometheus.namespace, labels: { ...(prometheus.podLabels ?? {}) } },
    ],
  });
  const pods = net.pods;
  const services = manifests.filter((o) => o.kind === 'Service' && o.apiVersion === 'v1');
  const nsOf = (o: Json) => o.metadata?.namespace ?? 'default';
  const podsOfService = (svc: Json) => {
    const selector = svc.spec?.selector;
    if (selector === undefined || Object.keys(selector).length === 0) return [];
    return pods.filter((p) =>
      p.namespace === nsOf(svc) && !Object.values(PEER_POD).includes(p.name) && selectorMatches({ matchLabels: selector }, p.labels));
  };
  /** The pod port behind a Service port (by service port name or number). */
  const targetOf = (svc: Json, port: string | number | undefined): string | number | undefined => {
    const entry = (svc.spec?.ports ?? []).find((p: Json) => (typeof port === 'number' ? p.port === port : p.name === port));
    if (entry === undefined) return undefined;
    return entry.targetPort ?? entry.port;
  };
  const demands: Demand[] = [];

  for (const ingress of manifests.filter((o) => o.kind === 'Ingress' && o.apiVersion === 'networking.k8s.io/v1')) {
    const because = `Ingress ${nsOf(ingress)}/${ingress.metadata?.name}`;
    const backends: Json[] = [
      ...(ingress.spec?.defaultBackend ? [ingress.spec.defaultBackend] : []),
      ...(ingress.spec?.rules ?? []).flatMap((r: Json) => (r.http?.paths ?? []).map((p: Json) => p.backend)),
    ];
    for (const backend of backends) {
      const ref = backend?.service;
      if (ref === undefined) continue;
      const svc = services.find((s) => s.metadata?.name === ref.name && nsOf(s) === nsOf(ingress));
      if (svc === undefined) continue;
      const target = targetOf(svc, ref.port?.number ?? ref.port?.name);
      if (target === undefined) continue;
      for (const pod of podsOfService(svc)) {
        demands.push({
          fromPod: `${controller.namespace}/${PEER_POD.ingress}`, fromText: `the ingress controller (${describePeer(controller)})`, to: pod, port: target,
          because: `${because} routes to Service ${ref.name}:${ref.port?.number ?? ref.port?.name}`,
          fix: `open it on the backend: ${ref.name}.${peerCall(controller, target)}; SecureIngress does this itself when the backend is already isolated when the Ingress is created (create the namespace's default-deny first), and 'ingressController' tells it where the controller runs`,
        });
      }
    }
  }

  for (const monitor of manifests.filter((o) => (o.kind === 'ServiceMonitor' || o.kind === 'PodMonitor') && String(o.apiVersion).startsWith('monitoring.coreos.com/'))) {
    const because = (what: string) => `${monitor.kind} ${nsOf(monitor)}/${monitor.metadata?.name} scrapes ${what}`;
    const nsSelector = monitor.spec?.namespaceSelector ?? {};
    const inNamespace = (ns: string) => nsSelector.any === true || (nsSelector.matchNames ?? [nsOf(monitor)]).includes(ns);
    const fix = (name: string, port: string | number) => `open it on the workload: ${name}.${peerCall(prometheus, port)}; WorkloadMonitor does this itself when the workload is already isolated when the monitor is created, and its 'prometheus' prop tells it where Prometheus runs`;
    if (monitor.kind === 'ServiceMonitor') {
      for (const svc of services.filter((s) => inNamespace(nsOf(s)) && selectorMatches(monitor.spec?.selector ?? {}, s.metadata?.labels ?? {}))) {
        for (const endpoint of monitor.spec?.endpoints ?? []) {
          const target = endpoint.targetPort ?? targetOf(svc, endpoint.port);
          if (target === undefined) continue;
          for (const pod of podsOfService(svc)) {
            demands.push({ fromPod: `${prometheus.namespace}/${PEER_POD.prometheus}`, fromText: `Prometheus (${describePeer(prometheus)})`, to: pod, port: target, because: because(`Service ${svc.metadata?.name}`), fix: fix(svc.metadata?.name, target) });
          }
        }
      }
    } else {
      const selected = pods.filter((p) =>
        inNamespace(p.namespace) && !Object.values(PEER_POD).includes(p.name) && selectorMatches(monitor.spec?.selector ?? {}, p.labels));
      for (const pod of selected) {
        for (const endpoint of monitor.spec?.podMetricsEndpoints ?? []) {
          const target = endpoint.port ?? endpoint.targetPort;
          if (target === undefined) continue;
          demands.push({ fromPod: `${prometheus.namespace}/${PEER_POD.prometheus}`, fromText: `Prometheus (${describePeer(prometheus)})`, to: pod, port: target, because: because(`pod ${pod.id}`), fix: fix(pod.name, target) });
        }
      }
    }
  }

  for (const caller of [...declared, ...(options.callers ?? [])]) {
    const fromId = `${caller.from.namespace ?? 'default'}/${caller.from.name}`;
    const toId = `${caller.to.namespace ?? 'default'}/${caller.to.name}`;
    const to = pods.find((p) => p.id === toId);
    if (to === undefined || !pods.some((p) => p.id === fromId)) continue;
    const ports = caller.port !== undefined ? [caller.port] : caller.to.ports.map((p) => p.name);
    for (const port of ports) {
      demands.push({
        fromPod: fromId, fromText: `pod ${fromId}`, to, port,
        because: `${caller.to.name} lists ${caller.from.name} as a client`,
        fix: `call ${caller.to.name}.allowFrom(${caller.from.name}, { port: ${JSON.stringify(port)} }) (or WorkloadNetworkPolicy.of(${caller.to.name}).allowFrom(...)), which opens both ends`,
      });
    }
  }

  const findings: WiringFinding[] = [];
  const seen = new Set<string>();
  for (const d of demands) {
    let allowed: boolean;
    let portText: string;
    const named = typeof d.port === 'string' ? d.to.ports.find((p) => p.name === d.port) : undefined;
    if (typeof d.port === 'string' && named === undefined) {
      portText = `'${d.port}'`;
      allowed = false;
    } else {
      const number = named?.containerPort ?? (d.port as number);
      const protocol = named?.protocol ?? 'TCP';
      portText = `${number}/${protocol}`;
      allowed = net.canReach(d.fromPod, d.to.id, number, protocol);
    }
    const key = `${d.fromPod}|${d.to.id}|${portText}`;
    if (allowed || seen.has(key)) continue;
    seen.add(key);
    const reason = typeof d.port === 'string' && named === undefined
      ? `pod ${d.to.id} declares no container port named '${d.port}'`
      : 'no NetworkPolicy allows it';
    findings.push({
      from: d.fromText, to: d.to.id, port: portText, because: d.because,
      message: `${d.because}, so ${d.fromText} must reach pod ${d.to.id} on ${portText}, but ${reason}. Fix: ${d.fix}.`,
    });
  }
  return findings;
}

/** The callers the constructs under `scope` declare: every workload with `clients` (e.g. PostgresDatabase, RedisCache). */
export function declaredCallers(scope: IConstruct): DeclaredCaller[] {
  const callers: DeclaredCaller[] = [];
  for (const c of scope.node.findAll()) {
    const candidate = c as Partial<IWorkload> & { clients?: readonly IWorkload[] };
    if (!Array.isArray(candidate.clients) || candidate.ports === undefined || candidate.name === undefined) continue;
    for (const client of candidate.clients) callers.push({ from: client, to: candidate as IWorkload });
  }
  return callers;
}

/** Throws a `GuardrailError` listing every finding of {@link findMissingFlows}. */
export function checkWiring(manifests: readonly Json[], options: WiringCheckOptions = {}, declared: readonly DeclaredCaller[] = []): void {
  const findings = findMissingFlows(manifests, options, declared);
  if (findings.length > 0) {
    throw new GuardrailError(`Wiring check: ${findings.length} flow(s) the app needs are blocked by its NetworkPolicies:\n${findings.map((f) => `- ${f.message}`).join('\n')}`);
  }
}

/**
 * A `synthApp` `beforeWrite` hook running {@link checkWiring} on each app's resolved objects, with
 * the callers its constructs declare, before anything is written.
 */
export function wiringCheckHook(options: WiringCheckOptions = {}): BeforeWriteHook {
  return (charts) => {
    const manifests = charts.flatMap((c) => c.objects.map((o) => o.manifest));
    const declared = charts.flatMap((c) => declaredCallers(c.chart)).filter((d) => charts.some((c) => c.chart === Chart.of(d.to)));
    checkWiring(manifests, options, declared);
  };
}
