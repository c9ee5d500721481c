import { BeforeWriteHook } from '../../lib/synth';
import { wiringCheckHook } from '../../lib/network/wiring-check';
import { pullPathCheckHook } from '../../lib/registry/pull-path-check';
import { CLOUDS } from '../config/shop-config';
import { INGRESS_CONTROLLER_LABELS, INGRESS_NAMESPACE, MONITORING_NAMESPACE, PROMETHEUS_LABELS } from '../shop-stack';

/**
 * The whole-app composition checks every bundled app passes before it is written: the wiring
 * check (the ingress controller reaches every Ingress backend, Prometheus every monitor target,
 * every declared caller its Service, under the app's NetworkPolicies) and the pull-path check
 * (every pod whose image comes from one of the clouds' private registries gets credentials).
 */
export function compositionChecks(options: { readonly clusterObjects?: () => readonly Record<string, any>[] } = {}): BeforeWriteHook[] {
  return [
    wiringCheckHook({
      ingressController: { namespace: INGRESS_NAMESPACE, podLabels: INGRESS_CONTROLLER_LABELS },
      prometheus: { namespace: MONITORING_NAMESPACE, podLabels: PROMETHEUS_LABELS },
    }),
    // `clusterObjects`: pull paths another app grants (the cluster baseline's acr-configuration).
    pullPathCheckHook({ privateRegistries: Object.values(CLOUDS).map((c) => c.registry), clusterObjects: options.clusterObjects }),
  ];
}
