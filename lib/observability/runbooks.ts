// Runbook links of the alert baseline (internal: not re-exported from the package).
import { Construct } from 'constructs';
import { fail, show } from '../common/errors';

/** The prometheus-operator community runbooks for Kubernetes, the default runbook links. */
export const COMMUNITY_RUNBOOKS_URL = 'https://runbooks.prometheus-operator.dev/runbooks/kubernetes';

// The community runbook closest to each baseline alert; the others link the index.
const COMMUNITY_RUNBOOK: Record<string, string> = {
  WorkloadCpuSaturation: 'cputhrottlinghigh',
  WorkloadLivenessProbeFailures: 'kubepodcrashlooping',
  WorkloadPodsPending: 'kubepodnotready',
  WorkloadContainerRestarts: 'kubepodcrashlooping',
  WorkloadHpaMaxedOut: 'kubehpamaxedout',
  KubeNodeNotReady: 'kubenodenotready',
};

/** The default runbook of a baseline alert: `<base>/<kebab-name>` or the closest community page. */
export function defaultRunbookUrl(alert: string, runbookBaseUrl: string | undefined): string {
  if (runbookBaseUrl !== undefined) return `${runbookBaseUrl.replace(/\/+$/, '')}/${kebab(alert)}`;
  const page = COMMUNITY_RUNBOOK[alert];
  return page !== undefined ? `${COMMUNITY_RUNBOOKS_URL}/${page}` : `${COMMUNITY_RUNBOOKS_URL}/`;
}

/** Throws unless `url` is an absolute http(s) URL. */
export function validateRunbookUrl(scope: Construct, what: string, url: string): void {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) {
    fail(scope, `${what} ${show(url)} is not an absolute http(s) URL: link the runbook page (e.g. 'https://runbooks.example.com/cpu-saturation').`);
  }
}

function kebab(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}
