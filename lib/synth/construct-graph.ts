import { ApiObject, App, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { fail } from '../common/errors';

/**
 * A flat, pre-order index of an app's construct tree and of its dependency edges, built once per
 * synth. It reproduces what stock cdk8s 2.70 computes with `node.findAll()`, `Chart.of()` and
 * `DependencyGraph`, but remembers what it has visited, so every step is linear in the number of
 * constructs and dependency edges.
 *
 * Stock behaviour mirrored here (read from `node_modules/cdk8s/lib/app.js` and `dependency.js`;
 * these are cdk8s internals, pinned to cdk8s 2.70.x and covered by the byte-identity tests):
 * - the construct order is `node.findAll()` pre-order;
 * - graph vertices are keyed by construct path in a plain object, so their root order is
 *   `Object.values()` order (array-index-like paths first, ascending, then insertion order);
 * - an edge exists for each entry of `node.dependencies` whose target is in the (sub)graph, and the
 *   out-edges of a vertex keep their first insertion order;
 * - the order is a post-order depth-first walk from the vertices without inbound edges.
 */
export class ConstructGraph {
  /** Every construct of the app, in `app.node.findAll()` (pre-order) order. */
  public readonly nodes: IConstruct[] = [];
  /** `paths[i]` is `nodes[i].node.path`. */
  private readonly paths: string[] = [];
  /** The subtree of `nodes[i]` is `nodes[i .. end[i])`. */
  private readonly end: number[] = [];
  /** `owner[i]` is `Chart.of(nodes[i])`, or undefined outside any chart (the app itself). */
  private readonly owner: (Chart | undefined)[] = [];
  private readonly indexOf = new Map<IConstruct, number>();
  private readonly byPath = new Map<string, number>();
  private readonly ownedApiObjectsCache = new Map<IConstruct, ApiObject[]>();

  constructor(public readonly app: App) {
    const visit = (c: IConstruct, parentPath: string | undefined, parentOwner: Chart | undefined) => {
      const i = this.nodes.length;
      const id = c.node.id;
      const path = parentPath === undefined ? c.node.path : parentPath === '' ? id : `${parentPath}/${id}`;
      const owner = Chart.isChart(c) ? c : parentOwner;
      this.nodes.push(c);
      this.paths.push(path);
      this.owner.push(owner);
      this.end.push(0);
      this.indexOf.set(c, i);
      this.byPath.set(path, i);
      for (const child of c.node.children) visit(child, path, owner);
      this.end[i] = this.nodes.length;
    };
    visit(app, undefined, undefined);
  }

  /** Runs `node.validate()` on every construct and throws stock cdk8s's error when any fails. */
  public validate(): void {
    const errors: string[] = [];
    for (const c of this.nodes) {
      for (const error of c.node.validate()) errors.push(`[${c.node.path}] ${error}`);
    }
    if (errors.length > 0) {
      // Same message as stock `App.synth()`, so callers and tests that match it keep working.
      throw new Error(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`);
    }
  }

  /**
   * Adds the dependencies stock cdk8s infers (its internal `resolveDependencies`), in the same
   * order: a chart depends on its child charts; a chart depends on the chart of whatever its
   * constructs depend on; and every ApiObject under a dependency's source depends on every
   * ApiObject under its target (each side limited to the objects its own closest chart owns).
   * Running it once reaches the fixed point stock reaches after running it once per chart.
   *
   * @returns whether any chart depends on another chart (stock's `hasDependantCharts`, which
   * switches chart file names to the `0000-` indexed form)
   */
  public inferDependencies(): boolean {
    let hasDependantCharts = false;
    for (const c of this.nodes) {
      if (!Chart.isChart(c)) continue;
      for (const child of c.node.children) {
        if (Chart.isChart(child)) {
          c.node.addDependency(child);
          hasDependantCharts = true;
        }
      }
    }
    for (const [source, target] of this.dependencyPairs()) {
      const sourceChart = this.chartOf(source);
      const targetChart = this.chartOf(target);
      if (sourceChart !== targetChart) {
        sourceChart.node.addDependency(targetChart);
        hasDependantCharts = true;
      }
    }
    for (const [source, target] of this.dependencyPairs()) {
      const targets = this.ownedApiObjects(target);
      if (targets.length === 0) continue;
      const sources = this.ownedApiObjects(source);
      for (const t of targets) {
        for (const s of sources) {
          if (t !== s) s.node.addDependency(t);
        }
      }
    }
    this.edgeCache = undefined;
    return hasDependantCharts;
  }

  /** How many ApiObjects the app holds. */
  public countApiObjects(): number {
    let count = 0;
    for (const c of this.nodes) if (ApiObject.isApiObject(c)) count++;
    return count;
  }

  /** Every chart of the app in stock `app.charts` order (dependencies first). */
  public charts(): Chart[] {
    return this.topology(0, this.nodes.length).filter((c): c is Chart => Chart.isChart(c));
  }

  /** The ApiObjects `chart` renders (those whose closest chart it is), in stock `chart.toJson()` order. */
  public apiObjectsOf(chart: Chart): ApiObject[] {
    const i = this.indexOf.get(chart);
    if (i === undefined) throw new Error(`chart '${chart.node.path}' is not part of this app`);
    const result: ApiObject[] = [];
    for (const c of this.topology(i, this.end[i])) {
      if (ApiObject.isApiObject(c) && this.owner[this.indexOf.get(c)!] === chart) result.push(c);
    }
    return result;
  }

  /**
   * Post-order depth-first walk of the subgraph of `nodes[lo .. hi)` (the subtree of one
   * construct), visiting each vertex and edge once; throws with the cycle's path on a cycle.
   */
  private topology(lo: number, hi: number): IConstruct[] {
    const out = this.edges();
    const inDegree = new Uint32Array(hi - lo);
    for (let s = lo; s < hi; s++) {
      for (const t of out[s]) if (t >= lo && t < hi) inDegree[t - lo]++;
    }
    const roots: number[] = [];
    for (let v = lo; v < hi; v++) if (inDegree[v - lo] === 0) roots.push(v);

    const WHITE = 0, GREY = 1, BLACK = 2;
    const state = new Uint8Array(hi - lo);
    const order: IConstruct[] = [];
    const stack: number[] = [];
    const next: number[] = [];
    const walk = (root: number) => {
      if (state[root - lo] !== WHITE) return;
      state[root - lo] = GREY;
      stack.push(root);
      next.push(0);
      while (stack.length > 0) {
        const top = stack.length - 1;
        const v = stack[top];
        const children = out[v];
        let pushed = false;
        while (next[top] < children.length) {
          const c = children[next[top]++];
          if (c < lo || c >= hi) continue;
          if (state[c - lo] === GREY) this.failCycle(stack.slice(stack.indexOf(c)).concat(c));
          if (state[c - lo] === WHITE) {
            state[c - lo] = GREY;
            stack.push(c);
            next.push(0);
            pushed = true;
            break;
          }
        }
        if (!pushed) {
          stack.pop();
          next.pop();
          state[v - lo] = BLACK;
          order.push(this.nodes[v]);
        }
      }
    };
    for (const r of this.objectValuesOrder(roots)) walk(r);
    // In a DAG every vertex is reachable from a vertex without inbound edges; what is left is on,
    // or only reachable from, a cycle. Walking from it finds that cycle.
    for (let v = lo; v < hi; v++) walk(v);
    return order;
  }

  private failCycle(cycle: number[]): never {
    const path = cycle.map(v => this.paths[v] || '<app>').join(' => ');
    fail(this.nodes[cycle[0]], `is part of a dependency cycle: ${path} (each arrow reads "depends on"; `
      + 'chart-to-chart and object-to-object arrows include the ones cdk8s infers from addDependency calls '
      + 'between their constructs). Remove one of the addDependency calls on this path to break the cycle.');
  }

  /**
   * Orders vertex indices the way `Object.values()` would order a plain object keyed by their
   * paths (stock `DependencyGraph` stores its vertices that way): array-index-like keys first in
   * ascending numeric order, then the others in insertion order.
   */
  private objectValuesOrder(indices: number[]): number[] {
    const numeric: number[] = [];
    const rest: number[] = [];
    for (const v of indices) (isArrayIndex(this.paths[v]) ? numeric : rest).push(v);
    if (numeric.length === 0) return rest;
    numeric.sort((a, b) => Number(this.paths[a]) - Number(this.paths[b]));
    return numeric.concat(rest);
  }

  private edgeCache: number[][] | undefined;

  /** `out[i]`: the vertices `nodes[i]` depends on, deduplicated in first-insertion order. */
  private edges(): number[][] {
    if (this.edgeCache) return this.edgeCache;
    const out: number[][] = new Array(this.nodes.length);
    for (let i = 0; i < this.nodes.length; i++) {
      const deps = this.nodes[i].node.dependencies;
      if (deps.length === 0) {
        out[i] = [];
        continue;
      }
      const seen = new Set<number>();
      for (const dep of deps) {
        const t = this.indexOf.get(dep) ?? this.byPath.get(dep.node.path);
        if (t !== undefined) seen.add(t);
      }
      out[i] = [...seen];
    }
    this.edgeCache = out;
    return out;
  }

  private dependencyPairs(): [IConstruct, IConstruct][] {
    this.edgeCache = undefined;
    const pairs: [IConstruct, IConstruct][] = [];
    for (const c of this.nodes) {
      for (const dep of c.node.dependencies) pairs.push([c, dep]);
    }
    return pairs;
  }

  /** `Chart.of(c)`, from the index when `c` is in this app (stock throws the same error otherwise). */
  private chartOf(c: IConstruct): Chart {
    const i = this.indexOf.get(c);
    return (i !== undefined ? this.owner[i] : undefined) ?? Chart.of(c);
  }

  /** The ApiObjects in `c`'s subtree whose closest chart is `c`'s closest chart. */
  private ownedApiObjects(c: IConstruct): ApiObject[] {
    let result = this.ownedApiObjectsCache.get(c);
    if (result) return result;
    const chart = this.chartOf(c);
    const i = this.indexOf.get(c);
    if (i === undefined) {
      result = c.node.findAll().filter((x): x is ApiObject => ApiObject.isApiObject(x) && Chart.of(x) === chart);
    } else {
      result = [];
      for (let j = i; j < this.end[i]; j++) {
        const x = this.nodes[j];
        if (ApiObject.isApiObject(x) && this.owner[j] === chart) result.push(x);
      }
    }
    this.ownedApiObjectsCache.set(c, result);
    return result;
  }
}

/** Whether V8 treats `key` as an array index (an integer-like property key). */
function isArrayIndex(key: string): boolean {
  return /^(0|[1-9][0-9]*)$/.test(key) && Number(key) < 4294967295;
}
