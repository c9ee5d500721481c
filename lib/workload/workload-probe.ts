import { Duration } from 'cdk8s';

/** Timing of a probe; every field has the default of the probe kind it is used for. */
export interface ProbeTiming {
  /** Wait before the first check. @default - 0s (the startup probe holds the others back) */
  readonly initialDelay?: Duration;
  /** Time between checks. @default - 10s liveness, 5s readiness and startup */
  readonly period?: Duration;
  /** Time a check may take. @default Duration.seconds(3) */
  readonly timeout?: Duration;
  /** Failed checks in a row that count as failure. @default - 3, or 30 for startup (150s to start) */
  readonly failureThreshold?: number;
  /** Successful checks in a row that count as success (liveness and startup must use 1). @default 1 */
  readonly successThreshold?: number;
}

/** Options of an HTTP or TCP probe. */
export interface NetworkProbeOptions extends ProbeTiming {
  /** The port, by name or number; it must be one the workload declares. @default - the workload's main (first) port */
  readonly port?: string | number;
}

/** What a probe checks. */
export type ProbeAction =
  | { readonly kind: 'http'; readonly path: string; readonly port?: string | number }
  | { readonly kind: 'tcp'; readonly port?: string | number }
  | { readonly kind: 'exec'; readonly command: readonly string[] }
  | { readonly kind: 'disabled'; readonly reason: string };

/**
 * A liveness, readiness or startup probe of a workload's main container. Use a factory:
 * `WorkloadProbe.http('/health')`, `.tcp()`, `.exec([...])`, or `.disabled(reason)`.
 */
export class WorkloadProbe {
  /** An HTTP GET on `path`; succeeds on a 2xx or 3xx answer. */
  public static http(path: string, options: NetworkProbeOptions = {}): WorkloadProbe {
    return new WorkloadProbe({ kind: 'http', path, port: options.port }, options);
  }

  /** A TCP connect to the port. */
  public static tcp(options: NetworkProbeOptions = {}): WorkloadProbe {
    return new WorkloadProbe({ kind: 'tcp', port: options.port }, options);
  }

  /** A command run in the container; succeeds when it exits 0. */
  public static exec(command: string[], options: ProbeTiming = {}): WorkloadProbe {
    return new WorkloadProbe({ kind: 'exec', command: [...command] }, options);
  }

  /**
   * No probe. Production expects liveness and readiness probes, so turning one off needs a
   * reason; it is written to the pod template's annotations for reviewers.
   */
  public static disabled(reason: string): WorkloadProbe {
    return new WorkloadProbe({ kind: 'disabled', reason }, {});
  }

  private constructor(public readonly action: ProbeAction, public readonly timing: ProbeTiming) {}
}
