// Issue #17: every "accepted, output broken" reproduction, each now a clear error (or right output).
import { Chart, Testing } from 'cdk8s';
import { AlertRules, WorkloadAlertRules } from '../../lib/observability';
import { PostgresDatabase } from '../../lib/storage';
import { GuardrailsApp } from '../../lib/synth';
import { SecureDeployment, SecureDeploymentProps, WorkloadEnv } from '../../lib/workload';
import { FakeWorkload } from '../support/fake-workload';
import { kubeCheck } from '../support/kube-check';

const IMAGE = 'r.io/api:v1.2.3';

function deploy(props: Partial<SecureDeploymentProps>) {
  const chart = Testing.chart();
  return new SecureDeployment(chart, 'api', { image: IMAGE, ...props });
}
const errorOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error');
};

describe('quantities with E and Ei', () => {
  test("requests.memory '2Ei' over limits.memory '1Ei' fails", () => {
    expect(errorOf(() => deploy({ resources: { requests: { memory: '2Ei' }, limits: { memory: '1Ei' } } })))
      .toBe("SecureDeployment 'test/api': 'limits.memory' (1Ei) must be at least 'requests.memory' (2Ei); raise the limit or lower the request.");
    expect(errorOf(() => deploy({ resources: { requests: { memory: '1Gi' }, limits: { memory: '8Ei' } } }))).toMatch(/'limits.memory' '8Ei' is not a valid Kubernetes quantity: use a non-negative number of at most 2\^63 - 1 base units/);
    expect(errorOf(() => deploy({ resources: { requests: { memory: '1.5Ei' }, limits: { memory: '1Ei' } } })))
      .toBe("SecureDeployment 'test/api': 'limits.memory' (1Ei) must be at least 'requests.memory' (1.5Ei); raise the limit or lower the request.");
  });

  test("limits.memory '1E' is above requests.memory '1Gi'", () => {
    expect(() => deploy({ resources: { requests: { memory: '1Gi' }, limits: { memory: '1E' } } })).not.toThrow();
  });
});

describe('strings kubectl would misread', () => {
  test("WorkloadEnv.value('0o17') reaches kubectl as the string '0o17'", () => {
    const app = new GuardrailsApp();
    const chart = new Chart(app, 'c');
    new SecureDeployment(chart, 'api', { image: IMAGE, env: { MODE: WorkloadEnv.value('0o17'), BIN: WorkloadEnv.value('0B101'), DEL: WorkloadEnv.value('a\x7f'), LS: WorkloadEnv.value('a\u2028b') } });
    const docs = app.synthYaml().split(/^---\n/m);
    const read = kubeCheck<{ json?: any; error?: string }>('yaml', docs);
    const deployment = read.map(r => r.json).find(d => d?.kind === 'Deployment');
    expect(read.filter(r => r.error)).toEqual([]);
    expect(Object.fromEntries(deployment.spec.template.spec.containers[0].env.map((e: any) => [e.name, e.value])))
      .toEqual({ BIN: '0B101', DEL: 'a\x7f', LS: 'a\u2028b', MODE: '0o17' });
  });
});

describe('derived names', () => {
  test('a 60-character PostgresDatabase name would make a 69-character headless Service', () => {
    const chart = new Chart(Testing.app(), 'data', { namespace: 'production' });
    expect(errorOf(() => new PostgresDatabase(chart, 'db', { credentials: { secretName: 's' }, name: 'p'.repeat(60) })))
      .toMatch(/^PostgresDatabase 'data\/db': the headless Service name \(from 'name'\) 'p{60}-headless' is 69 characters long, over the 63 a Service name allows/);
  });

  test("name '1svc' is not a Service name (DNS-1035)", () => {
    const chart = new Chart(Testing.app(), 'data', { namespace: 'production' });
    expect(errorOf(() => new PostgresDatabase(chart, 'db', { credentials: { secretName: 's' }, name: '1svc' })))
      .toMatch(/the Service name \(from 'name'\) '1svc' is not a DNS-1035 label/);
    expect(errorOf(() => deploy({ name: '1svc' }))).toMatch(/^SecureDeployment 'test\/api': the Service name \(from 'name'\) '1svc' is not a DNS-1035 label/);
    expect(() => deploy({ name: '1svc', service: false })).not.toThrow();
  });

  test('a StatefulSet name over 52 characters breaks its controller-revision-hash label', () => {
    const chart = new Chart(Testing.app(), 'data', { namespace: 'production' });
    expect(errorOf(() => new PostgresDatabase(chart, 'db', { credentials: { secretName: 's' }, name: 'p'.repeat(53) })))
      .toMatch(/the StatefulSet name \(from 'name'\) 'p{53}' is 53 characters long, over the 52 allowed/);
  });
});

describe('keys and sizes', () => {
  test("fromSecret('s', 'a/b') is not a Secret key", () => {
    expect(errorOf(() => deploy({ env: { PASSWORD: WorkloadEnv.fromSecret('s', 'a/b') } })))
      .toBe("SecureDeployment 'test/api': env 'PASSWORD' Secret key 'a/b' is not a valid ConfigMap or Secret key: use at most 253 letters, digits, '-', '_' and '.', not '.' or '..' (e.g. 'DATABASE_URL').");
    expect(errorOf(() => deploy({ env: { X: WorkloadEnv.fromConfigMap('c', '..') } }))).toMatch(/env 'X' ConfigMap key '..' is not a valid/);
  });

  test('annotation keys are checked', () => {
    expect(errorOf(() => deploy({ service: { annotations: { 'bad key': 'x' } } }))).toMatch(/'service.annotations' key 'bad key' is not a valid annotation key/);
    expect(errorOf(() => deploy({ serviceAccount: { annotations: { '-x/y': 'x' } } }))).toMatch(/'serviceAccount.annotations' key '-x\/y' is not a valid annotation key/);
    expect(errorOf(() => deploy({ service: { annotations: { a: 'x'.repeat(300 * 1024) } } }))).toMatch(/'service.annotations' total 307201 bytes, over the 262144-byte/);
  });

  test('toleration keys are checked', () => {
    expect(errorOf(() => deploy({ tolerations: [{ key: 'bad key!', operator: 'Exists' }] }))).toMatch(/toleration key 'bad key!' is not a valid taint key/);
    expect(errorOf(() => deploy({ tolerations: [{ value: 'x' } as any] }))).toMatch(/^SecureDeployment 'test\/api': toleration .*(has no key, which needs operator 'Exists'|uses operator 'Equal' without a 'key')/);
  });

  test('a 1.1 MB config exceeds the 1 MiB ConfigMap limit', () => {
    expect(errorOf(() => deploy({ config: { files: { 'big.txt': 'x'.repeat(1_100_000) } } })))
      .toBe("SecureDeployment 'test/api': 'config' (data and files) holds 1100000 bytes, over the 1048576-byte (1 MiB) limit of a ConfigMap; split it, or keep large files in the image or a volume.");
  });

  test('a digest of 63 hex characters is not a digest', () => {
    expect(errorOf(() => deploy({ image: `r.io/api@sha256:${'a'.repeat(63)}`, version: 'v1' }))).toMatch(/is not a valid image reference/);
    expect(() => deploy({ image: `r.io/api@sha256:${'a'.repeat(64)}`, version: 'v1' })).not.toThrow();
  });
});

describe('PodDisruptionBudgets that block every drain', () => {
  test.each([
    [{ minAvailable: 2 }, "'disruptionBudget.minAvailable' (2) lets no pod be evicted with 2 replicas"],
    [{ minAvailable: 3 }, "'disruptionBudget.minAvailable' (3) lets no pod be evicted with 2 replicas"],
    [{ minAvailable: '100%' }, "'disruptionBudget.minAvailable' (100%) lets no pod be evicted with 2 replicas"],
    [{ minAvailable: '60%' }, "'disruptionBudget.minAvailable' (60%) lets no pod be evicted with 2 replicas"],
    [{ maxUnavailable: 0 }, "'disruptionBudget.maxUnavailable' (0) lets no pod be evicted with 2 replicas"],
    [{ maxUnavailable: '0%' }, "'disruptionBudget.maxUnavailable' (0%) lets no pod be evicted with 2 replicas"],
  ])('%j fails', (budget, message) => {
    expect(errorOf(() => deploy({ disruptionBudget: budget }))).toBe(`SecureDeployment 'test/api': ${message}, so it blocks every node drain; allow at least one disruption (e.g. maxUnavailable: 1, or a minAvailable below 2).`);
  });

  test('budgets that allow a drain pass', () => {
    expect(() => deploy({ disruptionBudget: { minAvailable: 1 } })).not.toThrow();
    expect(() => deploy({ replicas: 3, disruptionBudget: { minAvailable: '50%' } })).not.toThrow();
    expect(() => deploy({ disruptionBudget: { maxUnavailable: '10%' } })).not.toThrow();
  });
});

describe('guards', () => {
  test("unsafeReason '  ' is no reason", () => {
    expect(errorOf(() => deploy({ security: { privileged: true, unsafeReason: '  ' } })))
      .toBe("SecureDeployment 'test/api': 'security.privileged: true' leaves the Pod Security Standards 'restricted' profile; remove it, or set 'security.unsafeReason' to say why this workload needs it ('  ' is blank).");
  });

  test.each(['/tmp/', '/tmp//', '//tmp', '/etc/../tmp'])("config.mountPath %j clashes with /tmp", (mountPath) => {
    expect(errorOf(() => deploy({ config: { files: { 'a.yaml': 'x: 1' }, mountPath } })))
      .toBe(`SecureDeployment 'test/api': the mount path '${mountPath}' is used by both the writable '/tmp' and the workload's config files; give each its own path.`);
  });
});

describe('alert rules', () => {
  const rule = { alert: 'A', severity: 'warning' as const, summary: 's', description: 'd', runbookUrl: 'https://r.example.com/a' };

  test("expr 'up ==' fails at synth, not in promtool", () => {
    const rules = new AlertRules(Testing.chart(), 'Rules', { name: 'r' });
    expect(errorOf(() => rules.addAlert({ ...rule, expr: 'up ==' })))
      .toMatch(/^AlertRules 'test\/Rules': alert 'A' 'expr' 'up ==' is not valid PromQL: syntax error at character 6/);
    expect(errorOf(() => rules.addAlert({ ...rule, expr: 'up{job=~"a("} == 0' })))
      .toMatch(/the regex "a\(" is not valid RE2 \(error parsing regexp: missing closing \)/);
    expect(() => rules.addAlert({ ...rule, expr: 'sum by (job) (rate(http_requests_total{code=~"5.."}[5m])) > 0' })).not.toThrow();
  });

  test("errorStatusRegex '5..(' fails with RE2's reason", () => {
    const chart = Testing.chart();
    const workload = new FakeWorkload(chart, 'user-service', { namespace: 'shop' });
    expect(errorOf(() => new WorkloadAlertRules(chart, 'Alerts', { workload, requests: { requestsTotal: 'http_requests_total', errorStatusRegex: '5..(' } })))
      .toBe("WorkloadAlertRules 'test/Alerts': 'requests.errorStatusRegex' '5..(' is not a valid RE2 regex (error parsing regexp: missing closing ): `5..(`); fix the pattern (e.g. '5..').");
    expect(errorOf(() => new WorkloadAlertRules(chart, 'Alerts2', { workload, podNamePattern: 'api-(?=x)' })))
      .toMatch(/'podNamePattern' 'api-\(\?=x\)' is not a valid RE2 regex/);
  });
});

describe('unclear errors', () => {
  test('an error raised inside cdk8s-plus arrives with the construct path and the fix', () => {
    expect(errorOf(() => deploy({ rollingUpdate: { maxSurge: '0%', maxUnavailable: '0%' } })))
      .toBe("SecureDeployment 'test/api': 'maxSurge' and 'maxUnavailable' cannot be both zero; set 'rollingUpdate.maxSurge' or 'rollingUpdate.maxUnavailable' above zero (e.g. maxSurge: 1), or a rollout can never make progress.");
  });

  test('NaN and Infinity are shown as themselves, not null', () => {
    expect(errorOf(() => deploy({ replicas: NaN }))).toBe("SecureDeployment 'test/api': 'replicas' NaN is not allowed: use a whole number of at least 0.");
    expect(errorOf(() => deploy({ replicas: Infinity }))).toBe("SecureDeployment 'test/api': 'replicas' Infinity is not allowed: use a whole number of at least 0.");
  });
});
