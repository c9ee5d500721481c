// `npm run bench:config-keys`: synthesizing a SecureDeployment whose config has N keys, with the
// ConfigMap rendered by LinearKubeConfigMap (what the library uses) and by cdk8s-plus's stock
// KubeConfigMap (quadratic: its generated converter copies the map once per key), in one run.
// Stock is measured only up to BENCH_CONFIG_STOCK_MAX keys (default 4000; 10,000 took 194 s).
//   BENCH_CONFIG_KEYS        comma-separated N list (default 1000,2000,4000,10000)
//   BENCH_CONFIG_STOCK_MAX   largest N measured for stock (default 4000)
import { Chart, Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { LinearKubeConfigMap } from '../lib/common/linear-config-map';
import { SecureDeployment } from '../lib/workload';

const sizes = (process.env.BENCH_CONFIG_KEYS ?? '1000,2000,4000,10000').split(',').map(Number);
const stockMax = Number(process.env.BENCH_CONFIG_STOCK_MAX ?? 4000);

function data(n: number): Record<string, string> {
  return Object.fromEntries(Array.from({ length: n }, (_, i) => [`KEY_${i}`, `value-${i}`]));
}

/** Seconds to build and synthesize one SecureDeployment with an n-key config. */
function secureDeployment(n: number): number {
  const start = process.hrtime.bigint();
  const chart = Testing.chart();
  new SecureDeployment(chart, 'api', { image: 'r.io/api:v1', config: { data: data(n) } });
  Testing.synth(chart);
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** Seconds to render one n-key ConfigMap with `Kind`. */
function configMap(Kind: typeof k8s.KubeConfigMap, n: number): number {
  const chart: Chart = Testing.chart();
  const cm = new Kind(chart, 'cm', { metadata: { name: 'c' }, data: data(n) });
  const start = process.hrtime.bigint();
  cm.toJson();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

const rows = ['| keys | SecureDeployment synth (s) | LinearKubeConfigMap render (s) | stock KubeConfigMap render (s) | stock / linear |', '|---:|---:|---:|---:|---:|'];
for (const n of sizes) {
  const sd = secureDeployment(n);
  const linear = configMap(LinearKubeConfigMap, n);
  const stock = n <= stockMax ? configMap(k8s.KubeConfigMap, n) : undefined;
  rows.push(`| ${n} | ${sd.toFixed(3)} | ${linear.toFixed(4)} | ${stock === undefined ? 'skipped' : stock.toFixed(3)} | ${stock === undefined ? '-' : `${(stock / linear).toFixed(0)}x`} |`);
}
console.log(rows.join('\n'));
