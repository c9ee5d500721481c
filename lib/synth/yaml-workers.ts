import * as os from 'os';
import { MessageChannel, MessagePort, receiveMessageOnPort, Worker } from 'worker_threads';
import { cdk8sYamlPaths, kubectlSafeStringTags, renderYamlDocument } from './yaml-strings';

/**
 * Turns manifests into YAML documents, one string per manifest, exactly as cdk8s's `Yaml.stringify`
 * renders each document (a multi-document file is those strings joined with `---\n`).
 */
export interface DocumentRenderer {
  /** Queues one chart's manifests; returns a ticket for `collect`. */
  submit(docs: readonly unknown[]): number;
  /**
   * Every submitted batch's documents, by ticket, in submission order; `onBatch`, when given,
   * sees each batch as soon as it is rendered (in any order), before `collect` returns.
   */
  collect(onBatch?: (ticket: number, docs: string[]) => void): string[][];
  /** Releases resources after a failure before `collect`. */
  close(): void;
}

/** Renders on the calling thread as cdk8s's `Yaml.stringify` does (strings kubectl-safe), when collected. */
export class InlineRenderer implements DocumentRenderer {
  private readonly batches: (readonly unknown[])[] = [];
  public submit(docs: readonly unknown[]): number {
    this.batches.push(docs);
    return this.batches.length - 1;
  }
  public collect(onBatch?: (ticket: number, docs: string[]) => void): string[][] {
    const texts = this.batches.map(docs => docs.map(doc => renderYamlDocument(doc)));
    if (onBatch) texts.forEach((docs, ticket) => onBatch(ticket, docs));
    return texts;
  }
  public close(): void {}
}

// The worker renders each document the way cdk8s 2.70's `Yaml.stringify` does (same `yaml` module
// instance as cdk8s resolves, same options: keepUndefined, lineWidth 0, YAML 1.1; an undefined
// document is '\n'), plus the kubectl-safe string rule of yaml-strings.ts (its source, evaluated
// here). That is an internal of cdk8s, pinned by the byte-identity tests.
const WORKER_SOURCE = `
const { workerData } = require('worker_threads');
const YAML = require(workerData.yamlPath);
const customTags = (${kubectlSafeStringTags.toString()})(require(workerData.utilPath).stringifyString);
const options = { keepUndefined: true, lineWidth: 0, version: '1.1', customTags };
const done = new Int32Array(workerData.done);
const port = workerData.port;
port.on('message', ({ ticket, docs }) => {
  let reply;
  try {
    reply = { ticket, texts: docs.map(d => (d === undefined ? '\\n' : YAML.stringify(d, options))) };
  } catch (e) {
    reply = { ticket, error: String(e && e.stack || e) };
  }
  port.postMessage(reply);
  Atomics.add(done, 0, 1);
  Atomics.notify(done, 0);
});
`;

/**
 * Renders on worker threads while the caller keeps resolving the next charts, and stays
 * synchronous: `collect` blocks with `Atomics.wait` and reads replies with `receiveMessageOnPort`.
 * The output is the same strings `InlineRenderer` returns.
 */
export class WorkerRenderer implements DocumentRenderer {
  private readonly workers: Worker[] = [];
  private readonly ports: MessagePort[] = [];
  private readonly done = new Int32Array(new SharedArrayBuffer(4));
  private submitted = 0;

  constructor(threads: number) {
    const { yaml: yamlPath, util: utilPath } = cdk8sYamlPaths();
    for (let i = 0; i < threads; i++) {
      const { port1, port2 } = new MessageChannel();
      const worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { yamlPath, utilPath, done: this.done.buffer, port: port2 },
        transferList: [port2],
      });
      worker.unref();
      this.workers.push(worker);
      this.ports.push(port1);
    }
  }

  public submit(docs: readonly unknown[]): number {
    const ticket = this.submitted++;
    this.ports[ticket % this.ports.length].postMessage({ ticket, docs });
    return ticket;
  }

  public collect(onBatch?: (ticket: number, docs: string[]) => void): string[][] {
    const results: string[][] = new Array(this.submitted);
    let received = 0;
    try {
      while (received < this.submitted) {
        const seen = Atomics.load(this.done, 0);
        for (const port of this.ports) {
          for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) {
            const reply = m.message as { ticket: number; texts?: string[]; error?: string };
            if (reply.error !== undefined) throw new Error(`YAML rendering failed in a worker thread: ${reply.error}`);
            results[reply.ticket] = reply.texts!;
            received++;
            onBatch?.(reply.ticket, reply.texts!);
          }
        }
        if (received < this.submitted && Atomics.wait(this.done, 0, seen, 60_000) === 'timed-out') {
          throw new Error('YAML rendering worker threads did not answer within 60 s');
        }
      }
      return results;
    } finally {
      this.close();
    }
  }

  /** Stops the workers (also after a failure before `collect`). */
  public close(): void {
    for (const port of this.ports) port.close();
    for (const worker of this.workers) void worker.terminate();
    this.workers.length = 0;
  }
}

/** Worker threads worth starting for `objects` manifests: none for small apps, else cores − 1 (at most 4). */
export function defaultRenderThreads(objects: number): number {
  if (objects < 500) return 0;
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(0, Math.min(4, cores - 1));
}
