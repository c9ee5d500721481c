import { App, AppProps, Chart } from 'cdk8s';
import { appIntegrityHook } from './app-checks';
import { BeforeWriteHook, orderCharts, synthApp, synthAppYaml } from './synth-app';

/** Props of {@link GuardrailsApp}: stock `AppProps` plus synth hooks. */
export interface GuardrailsAppProps extends AppProps {
  /**
   * Hooks run after every object is resolved and before any file is written (the policy pack
   * registers its synth-time check here); more can be added with `addBeforeWriteHook`.
   * @default - none
   */
  readonly beforeWrite?: readonly BeforeWriteHook[];

  /**
   * Worker threads rendering YAML while charts resolve (output is byte-identical either way).
   * @default - 0 below 500 objects, else one less than the available cores (at most 4)
   */
  readonly renderThreads?: number;
}

/**
 * A cdk8s `App` whose `synth()`, `synthYaml()` and `charts` produce exactly what stock cdk8s
 * produces (same files, names, order and bytes), in time linear in the number of charts, objects
 * and dependency edges, and which runs `beforeWrite` hooks before writing anything: always
 * {@link appIntegrityHook} (an object defined twice, a NaN or a non-UTF-8 string fails the synth
 * naming the construct paths), then those given.
 *
 * `Chart.toJson()` (and so `Testing.synth(chart)`) is untouched: it still resolves the whole app
 * per call, which is fine for one chart and what tests use.
 */
export class GuardrailsApp extends App {
  private readonly beforeWriteHooks: BeforeWriteHook[];
  private readonly renderThreads?: number;

  constructor(props: GuardrailsAppProps = {}) {
    super(props);
    // Whole-app checks first (no object twice, nothing a YAML file cannot carry), then the user's.
    this.beforeWriteHooks = [appIntegrityHook, ...(props.beforeWrite ?? [])];
    this.renderThreads = props.renderThreads;
  }

  /** Every chart, dependencies first (same order as stock), in linear time. */
  public override get charts(): Chart[] {
    return orderCharts(this);
  }

  /** Adds a hook run after resolution and before any file is written; throw from it to fail the synth. */
  public addBeforeWriteHook(hook: BeforeWriteHook): void {
    this.beforeWriteHooks.push(hook);
  }

  /** Writes every chart into `outdir`, byte-identical to stock `App.synth()`. */
  public override synth(): void {
    synthApp(this, { beforeWrite: this.beforeWriteHooks, renderThreads: this.renderThreads });
  }

  /** All charts as one YAML string, byte-identical to stock `App.synthYaml()`. */
  public override synthYaml(): string {
    return synthAppYaml(this, { beforeWrite: this.beforeWriteHooks, renderThreads: this.renderThreads });
  }
}
