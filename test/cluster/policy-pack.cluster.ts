/**
 * The policy pack on a real kube-apiserver (each release of `serverVersions()`):
 *
 * - every ValidatingAdmissionPolicy of the pack compiles with **no type-checking warning**
 *   (`status.typeChecking`, written by kube-controller-manager's status controller), and a policy
 *   naming a missing field does get a warning (negative control);
 * - the probe table (test/policy/probes.ts) and the compliant objects, each submitted (server-side
 *   dry run) in one namespace per rule, where only that rule's policies are bound: the server
 *   denies exactly where the synth-time check finds the rule broken, with the rule's own policy
 *   and one of its messages, and admits everything else. test/policy/probes.test.ts holds the same
 *   table to Gatekeeper's Rego, so the three engines agree on every probe.
 */
import { spawn, spawnSync, ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Testing } from 'cdk8s';
import { kubeBinaryDir, startKubeServer, KubeServer } from './support/kube-server';
import { serverVersions, targetOf } from './support/targets';
import { admissionPolicyApiVersionFor, setKubernetesVersion } from '../../lib/common/kubernetes-version';
import { ClusterPolicies, PolicyPack, PolicyPackProps } from '../../lib/policy';
import { POLICY_RULES } from '../../lib/policy/rules';
import { COMPLIANT, placeProbe, PROBE_PACK, PROBES } from '../policy/probes';

const ruleNamespace = (ruleId: string) => `probe-${ruleId}`;

/** The probe pack with each rule bound to its own namespace only. */
function isolatedPack(): PolicyPack {
  const rules: Record<string, any> = {};
  for (const rule of POLICY_RULES) rules[rule.id] = { ...(PROBE_PACK.rules?.[rule.id] ?? {}), enabled: true, namespaces: [ruleNamespace(rule.id)] };
  return new PolicyPack({ ...PROBE_PACK, rules } as PolicyPackProps);
}

/** The pack's ValidatingAdmissionPolicies, bindings and params ConfigMaps, for the server's release as target. */
function renderAdmissionPolicies(pack: PolicyPack, version: string): any[] {
  const chart = Testing.chart();
  setKubernetesVersion(chart, targetOf(version));
  new ClusterPolicies(chart, 'policies', { pack, gatekeeper: false, admissionPolicies: true });
  return Testing.synth(chart);
}

/** A command of the release (cached by build-kube.sh; built with KUBE_BINS=<name> when missing). */
function ensureKubeBinary(version: string, name: string): string {
  const bin = join(kubeBinaryDir(version), name);
  if (existsSync(bin)) return bin;
  process.stderr.write(`building ${name} ${version} (scripts/cluster/build-kube.sh with KUBE_BINS=${name})\n`);
  const res = spawnSync('bash', [join(__dirname, '..', '..', 'scripts', 'cluster', 'build-kube.sh'), version], {
    stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', env: { ...process.env, KUBE_BINS: name },
  });
  if (res.status !== 0 || !existsSync(bin)) throw new Error(`build-kube.sh ${version} (KUBE_BINS=${name}) failed (exit ${res.status}).`);
  return bin;
}

/** kube-controller-manager running only the ValidatingAdmissionPolicy status controller (it writes status.typeChecking). */
function startStatusController(server: KubeServer): ChildProcess {
  const bin = ensureKubeBinary(server.version, 'kube-controller-manager');
  const logFile = join(server.dir, 'kube-controller-manager.log');
  const fd = openSync(logFile, 'a');
  const child = spawn(bin, [
    `--kubeconfig=${server.kubeconfig}`, '--controllers=validatingadmissionpolicy-status-controller',
    '--leader-elect=false', '--bind-address=127.0.0.1', '--secure-port=0', '--v=1',
    ...(server.minor < 30 ? ['--feature-gates=ValidatingAdmissionPolicy=true'] : []),
  ], { stdio: ['ignore', fd, fd] });
  closeSync(fd);
  return child;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
  const exited = new Promise<void>((res) => child.once('exit', () => res()));
  process.kill(child.pid, 'SIGTERM');
  const timeout = new Promise<'t'>((res) => setTimeout(() => res('t'), 10_000).unref());
  if (await Promise.race([exited, timeout]) === 't') { process.kill(child.pid, 'SIGKILL'); await exited; }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const list = (items: readonly any[]) => JSON.stringify({ apiVersion: 'v1', kind: 'List', items });

/** Waits until the status controller has checked every policy; returns them. */
async function typeCheckedPolicies(server: KubeServer, names: readonly string[], seconds = 180): Promise<any[]> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const items: any[] = JSON.parse(server.kubectl(['get', 'validatingadmissionpolicies', '-o', 'json']).stdout).items;
    const mine = items.filter((p) => names.includes(p.metadata.name));
    if (mine.length === names.length && mine.every((p) => p.status?.observedGeneration === p.metadata.generation)) return mine;
    if (Date.now() > deadline) {
      const log = join(server.dir, 'kube-controller-manager.log');
      throw new Error(`status.typeChecking not written after ${seconds} s for ${names.filter((n) => !mine.some((p) => p.metadata.name === n && p.status?.observedGeneration)).join(', ')}; `
        + `kube-controller-manager log:\n${existsSync(log) ? readFileSync(log, 'utf8').split('\n').slice(-20).join('\n') : '(none)'}`);
    }
    await sleep(1000);
  }
}

/** `kubectl create --dry-run=server` of many objects: the error line of each refused one, by name (warnings under `warning:<text>`). */
function dryRunCreate(server: KubeServer, objects: readonly any[]): Map<string, string> {
  const res = server.kubectl(['create', '--dry-run=server', '-o', 'name', '-f', '-'], { input: list(objects), allowFailure: true });
  const refused = new Map<string, string>();
  for (const line of res.stderr.split('\n')) {
    const m = /"(c\d+-r\d+)" is (?:forbidden|invalid): (.*)$/.exec(line);
    if (m) refused.set(m[1], m[2]);
    else if (/^Warning: /.test(line)) refused.set(`warning:${line.slice('Warning: '.length)}`, line);
    else if (line.trim() !== '' && !/^Error from server/.test(line)) refused.set(`unparsed:${line}`, line);
  }
  for (const line of res.stderr.split('\n')) {
    const m = /^Error from server.*?"(c\d+-r\d+)"/.exec(line);
    if (m && !refused.has(m[1])) refused.set(m[1], line);
  }
  return refused;
}

describe.each(serverVersions())('the policy pack on kube-apiserver %s', (version) => {
  let server: KubeServer;
  let controller: ChildProcess | undefined;
  const pack = isolatedPack();
  /** The status controller starts with the first test that reads status.typeChecking. */
  const ensureController = () => { controller ??= startStatusController(server); };

  beforeAll(async () => {
    server = await startKubeServer({ version });
    const namespaces = POLICY_RULES.flatMap((r) => [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ruleNamespace(r.id) } },
      // No controllers run: the ServiceAccount admission plugin needs the default account to exist.
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: ruleNamespace(r.id) } },
    ]);
    server.kubectl(['apply', '-f', '-'], { input: list(namespaces.filter((o) => o.kind === 'Namespace')) });
    server.kubectl(['apply', '-f', '-'], { input: list(namespaces.filter((o) => o.kind === 'ServiceAccount')) });
    server.kubectl(['apply', '--server-side', '--field-manager=policy-pack', '-f', '-'], { input: list(renderAdmissionPolicies(pack, version)) });
  }, 30 * 60 * 1000);

  afterAll(async () => {
    if (controller) await stopChild(controller);
    if (server) await server.stop();
  });

  test('every policy type-checks with no warning', async () => {
    const names = renderAdmissionPolicies(pack, version).filter((o) => o.kind === 'ValidatingAdmissionPolicy').map((o) => o.metadata.name);
    ensureController();
    const policies = await typeCheckedPolicies(server, names);
    const warnings = policies.flatMap((p) => (p.status.typeChecking?.expressionWarnings ?? []).map((w: any) => `${p.metadata.name} ${w.fieldRef}: ${w.warning}`));
    expect(warnings).toEqual([]);
    expect(policies.length).toBe(names.length);
  }, 10 * 60 * 1000);

  test('negative control: a policy naming a missing field gets a type-checking warning', async () => {
    const apiVersion = admissionPolicyApiVersionFor(targetOf(version));
    const broken = {
      apiVersion, kind: 'ValidatingAdmissionPolicy', metadata: { name: 'negative-control' },
      spec: {
        failurePolicy: 'Fail',
        matchConstraints: { resourceRules: [{ apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE'], resources: ['deployments'] }] },
        validations: [{ expression: 'object.spec.template.spec.noSuchField == 1', message: 'never' }],
      },
    };
    ensureController();
    server.kubectl(['apply', '-f', '-'], { input: JSON.stringify(broken) });
    const [policy] = await typeCheckedPolicies(server, ['negative-control']);
    expect(JSON.stringify(policy.status.typeChecking?.expressionWarnings ?? [])).toMatch(/noSuchField/);
    server.kubectl(['delete', 'validatingadmissionpolicy', 'negative-control']);
  }, 10 * 60 * 1000);

  test('each rule denies its probes with its own policy and message, and admits the rest (agreeing with the synth-time check)', async () => {
    const cases = [
      ...PROBES.map((p) => ({ name: `${p.rule}: ${p.field} (${p.kind})`, object: p.object, skip: p.serverCannotJudge })),
      ...COMPLIANT.map((c) => ({ name: c.name, object: c.object, skip: undefined as string | undefined })),
    ];
    const submissions = cases.flatMap((c, ci) => c.skip ? [] : pack.rules.map((configured, ri) => {
      const object = placeProbe(c.object, ruleNamespace(configured.rule.id), `c${ci}-r${ri}`);
      const synth = pack.evaluate([{ manifest: object }]).find((v) => v.ruleId === configured.rule.id);
      return { c, rule: configured.rule.id, object, synthMessages: synth?.messages.map((m) => m.replace(/ \[.*\]$/, '')) };
    }));

    // The bindings take effect once the admission plugin has seen them: wait for the first denial.
    const first = submissions.find((s) => s.synthMessages)!;
    const deadline = Date.now() + 60_000;
    while (!dryRunCreate(server, [first.object]).has(first.object.metadata.name)) {
      if (Date.now() > deadline) throw new Error(`no policy denied ${first.c.name} within 60 s`);
      await sleep(1000);
    }

    const refused = dryRunCreate(server, submissions.map((s) => s.object));
    const disagreements: string[] = [];
    for (const s of submissions) {
      const error = refused.get(s.object.metadata.name);
      const where = `${s.c.name} in ${s.object.metadata.namespace}`;
      if (!s.synthMessages) {
        if (error) disagreements.push(`${where}: synth admits, server refused: ${error}`);
        continue;
      }
      if (!error) { disagreements.push(`${where}: synth denies (${s.synthMessages.join('; ')}), server admitted`); continue; }
      const own = new RegExp(`ValidatingAdmissionPolicy 'guardrails-${s.rule}(-[a-z]+)?' with binding 'guardrails-${s.rule}(-[a-z]+)?' denied request: (.*)$`).exec(error);
      if (!own) disagreements.push(`${where}: refused, but not by the rule's own policy: ${error}`);
      else if (!s.synthMessages.some((m) => own[3].startsWith(m))) disagreements.push(`${where}: server message '${own[3]}' is none of the synth-time messages ${JSON.stringify(s.synthMessages)}`);
    }
    expect(disagreements).toEqual([]);
    // no unexpected line from the server, and only the warnings the release is known to give
    expect([...refused.keys()].filter((k) => k.startsWith('unparsed:'))).toEqual([]);
    const apparmor = (path: string) => `warning:${path}annotations[container.apparmor.security.beta.kubernetes.io/main]: deprecated since v1.30; use the "appArmorProfile" field instead`;
    expect([...refused.keys()].filter((k) => k.startsWith('warning:')).sort()).toEqual(server.minor >= 30
      // the AppArmor probes and compliant objects use the annotation, which PSS v1.28 checks
      ? [apparmor('metadata.'), apparmor('spec.jobTemplate.spec.template.metadata.'), apparmor('spec.template.metadata.')]
      : []);
    // Probes the server cannot judge are listed, not silently dropped.
    expect(cases.filter((c) => c.skip).map((c) => `${c.name}: ${c.skip}`)).toEqual([
      'pss-restricted: containers[].securityContext.procMount (Deployment): procMount is dropped by the API server unless the ProcMountType feature gate is on (alpha in 1.28)',
    ]);
  }, 20 * 60 * 1000);
});
