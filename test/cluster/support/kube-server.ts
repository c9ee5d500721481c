/**
 * A real, throw-away Kubernetes API server for tests: Debian's etcd plus a kube-apiserver built
 * from the Go module proxy (scripts/cluster/build-kube.sh), both on 127.0.0.1 with free ports and
 * their data in a fresh temp folder. No controllers, no nodes: objects are admitted (validation,
 * PodSecurity, ValidatingAdmissionPolicy, CRD schemas) and stored, nothing more.
 *
 * ```ts
 * const server = await startKubeServer({ version: 'v1.28.15' });
 * try {
 *   server.kubectl(['apply', '--server-side', '--field-manager=aws-cluster', '-f', file]);
 *   const res = server.kubectl(['apply', '-f', '-'], { input: yaml, allowFailure: true });
 *   expect(res.code).not.toBe(0); expect(res.stderr).toMatch(/denied/);
 * } finally {
 *   await server.stop();
 * }
 * ```
 *
 * Binaries: `kube-apiserver` from `${GUARDRAILS_CACHE:-~/.cache/cdk8s-guardrails}/kubernetes/<version>/`
 * (built by build-kube.sh on first use, about 15 CPU-minutes cold), etcd from `$ETCD` or PATH,
 * kubectl from `$KUBECTL` or PATH.
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** How to start a server. */
export interface KubeServerOptions {
  /** The Kubernetes release, e.g. `v1.28.15` (a tag the Go module proxy serves). */
  readonly version: string;
  /** Build the binaries with build-kube.sh when they are not cached. @default true */
  readonly build?: boolean;
  /** Seconds to wait for `/readyz`. @default 120 */
  readonly readyTimeoutSeconds?: number;
  /** Where progress lines go. @default - stderr, one timestamped line per step */
  readonly log?: (line: string) => void;
  /** More kube-apiserver flags (`--audit-policy-file=/x`); each replaces a default flag of the same name. @default - none */
  readonly extraArgs?: readonly string[];
}

/** The result of one kubectl run. */
export interface KubectlResult {
  /** The exit code (0 = success). */
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of {@link KubeServer.kubectl}. */
export interface KubectlOptions {
  /** Text fed to stdin (for `-f -`). @default - none */
  readonly input?: string;
  /** Return a non-zero result instead of throwing. @default false */
  readonly allowFailure?: boolean;
}

/** A running server. Always `stop()` it (a process exit handler also kills it). */
export interface KubeServer {
  /** The release it runs (`v1.28.15`). */
  readonly version: string;
  /** The minor version as a number (28). */
  readonly minor: number;
  /** `https://127.0.0.1:<port>`. */
  readonly url: string;
  /** A kubeconfig file (cluster-admin through a static token). */
  readonly kubeconfig: string;
  /** The temp folder holding certificates, etcd data and both servers' logs. */
  readonly dir: string;
  /** etcd's client URL (`http://127.0.0.1:<port>`), to read what the server stored. */
  readonly etcdUrl: string;
  /** Runs kubectl against this server; throws with kubectl's stderr on failure unless allowFailure. */
  kubectl(args: readonly string[], options?: KubectlOptions): KubectlResult;
  /** Reads one object as JSON (`kubectl get -o json`), or undefined when it does not exist. */
  getJson(kind: string, name: string, namespace?: string): any;
  /** Stops kube-apiserver then etcd (by pid) and deletes the temp folder. Safe to call twice. */
  stop(): Promise<void>;
}

const REPO_ROOT = resolve(__dirname, '..', '..', '..');

/** The folder build-kube.sh caches a release's binaries in. */
export function kubeBinaryDir(version: string): string {
  const cache = process.env.GUARDRAILS_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'cdk8s-guardrails');
  return join(cache, 'kubernetes', version);
}

/** Returns the kube-apiserver binary of `version`, building it (build-kube.sh) if asked and missing. */
export function ensureKubeApiserver(version: string, options: { build?: boolean; log?: (line: string) => void } = {}): string {
  const bin = join(kubeBinaryDir(version), 'kube-apiserver');
  if (existsSync(bin)) return bin;
  if (options.build === false) {
    throw new Error(`kube-apiserver ${version} is not built (${bin}); run scripts/cluster/build-kube.sh ${version}.`);
  }
  (options.log ?? stderrLog)(`building kube-apiserver ${version} (scripts/cluster/build-kube.sh; cold: about 15 CPU-minutes)`);
  const res = spawnSync('bash', [join(REPO_ROOT, 'scripts', 'cluster', 'build-kube.sh'), version], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (res.status !== 0 || !existsSync(bin)) throw new Error(`build-kube.sh ${version} failed (exit ${res.status}).`);
  return bin;
}

/** The minor version of `v1.28.15` (28). */
export function minorOf(version: string): number {
  const m = /^v?1\.(\d+)\./.exec(version);
  if (!m) throw new Error(`'${version}' is not a Kubernetes release such as v1.28.15.`);
  return Number(m[1]);
}

/** Starts etcd and kube-apiserver and waits until `/readyz` answers 200. */
export async function startKubeServer(options: KubeServerOptions): Promise<KubeServer> {
  const log = options.log ?? stderrLog;
  const started = Date.now();
  const step = (msg: string) => log(`${msg} (+${((Date.now() - started) / 1000).toFixed(1)} s)`);
  const minor = minorOf(options.version);
  const apiserverBin = ensureKubeApiserver(options.version, { build: options.build, log });
  const dir = mkdtempSync(join(tmpdir(), `kube-${options.version}-`));
  const procs: ChildProcess[] = [];
  const killAll = () => { for (const p of [...procs].reverse()) if (p.exitCode === null && p.pid) try { process.kill(p.pid, 'SIGKILL'); } catch { /* gone */ } };
  process.once('exit', killAll);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    for (const p of [...procs].reverse()) await stopProcess(p);
    process.removeListener('exit', killAll);
    if (!process.env.KUBE_SERVER_KEEP) rmSync(dir, { recursive: true, force: true });
  };
  try {
    // Certificates: a self-signed serving cert for 127.0.0.1 and a service-account key pair.
    // P-256 keys: generated in milliseconds, where RSA takes seconds on a busy machine.
    openssl(dir, ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost', '-keyout', 'serving.key', '-out', 'serving.crt']);
    openssl(dir, ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'sa.key']);
    openssl(dir, ['ec', '-in', 'sa.key', '-pubout', '-out', 'sa.pub']);
    const token = `t${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
    writeFileSync(join(dir, 'tokens.csv'), `${token},test-admin,test-admin,"system:masters"\n`);
    step('certificates and token written');

    const [etcdClient, etcdPeer, apiPort] = await freePorts(3);
    const etcdUrl = `http://127.0.0.1:${etcdClient}`;
    procs.push(launch(process.env.ETCD ?? 'etcd', [
      '--name=test', `--data-dir=${join(dir, 'etcd')}`,
      `--listen-client-urls=${etcdUrl}`, `--advertise-client-urls=${etcdUrl}`,
      `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`, `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
      `--initial-cluster=test=http://127.0.0.1:${etcdPeer}`, '--log-level=warn',
    ], join(dir, 'etcd.log')));
    await waitFor(async () => (await httpGet(`${etcdUrl}/health`)).status === 200, 30, procs[0], join(dir, 'etcd.log'), 'etcd /health');
    step(`etcd ready on ${etcdUrl}`);

    const args = [
      `--etcd-servers=${etcdUrl}`,
      '--bind-address=127.0.0.1', '--advertise-address=127.0.0.1', `--secure-port=${apiPort}`,
      // No endpoints for the `kubernetes` Service: newer servers refuse a loopback address there.
      '--endpoint-reconciler-type=none',
      `--tls-cert-file=${join(dir, 'serving.crt')}`, `--tls-private-key-file=${join(dir, 'serving.key')}`,
      `--service-account-key-file=${join(dir, 'sa.pub')}`, `--service-account-signing-key-file=${join(dir, 'sa.key')}`,
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--token-auth-file=${join(dir, 'tokens.csv')}`, '--authorization-mode=RBAC',
      '--service-cluster-ip-range=10.96.0.0/16',
      // Privileged pods are allowed by the server so that PodSecurity and the policies are what denies them.
      '--allow-privileged=true',
      '--enable-admission-plugins=NamespaceLifecycle,ServiceAccount,PodSecurity,ValidatingAdmissionPolicy',
      '--profiling=false', '--v=1',
    ];
    if (minor < 30) {
      // ValidatingAdmissionPolicy is beta (off by default) before 1.30.
      args.push('--feature-gates=ValidatingAdmissionPolicy=true', '--runtime-config=admissionregistration.k8s.io/v1beta1=true');
    }
    const extraNames = new Set((options.extraArgs ?? []).map((a) => a.split('=')[0]));
    const allArgs = [...args.filter((a) => !extraNames.has(a.split('=')[0])), ...(options.extraArgs ?? [])];
    procs.push(launch(apiserverBin, allArgs, join(dir, 'kube-apiserver.log')));
    const url = `https://127.0.0.1:${apiPort}`;
    const ca = readFileSync(join(dir, 'serving.crt'));
    await waitFor(async () => (await httpGet(`${url}/readyz`, { ca, token })).status === 200, options.readyTimeoutSeconds ?? 120,
      procs[1], join(dir, 'kube-apiserver.log'), 'kube-apiserver /readyz');
    step(`kube-apiserver ${options.version} ready on ${url}`);

    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, [
      'apiVersion: v1', 'kind: Config',
      'clusters:', '- name: test', `  cluster: { server: "${url}", certificate-authority: "${join(dir, 'serving.crt')}" }`,
      'users:', '- name: admin', `  user: { token: "${token}" }`,
      'contexts:', '- name: test', '  context: { cluster: test, user: admin }',
      'current-context: test', '',
    ].join('\n'));

    const kubectl = (kargs: readonly string[], kopts: KubectlOptions = {}): KubectlResult => {
      const res = spawnSync(process.env.KUBECTL ?? 'kubectl', [`--kubeconfig=${kubeconfig}`, ...kargs], {
        input: kopts.input, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024,
      });
      const out = { code: res.status ?? 1, stdout: res.stdout ?? '', stderr: (res.stderr ?? '') + (res.error ? String(res.error) : '') };
      if (out.code !== 0 && !kopts.allowFailure) {
        throw new Error(`kubectl ${kargs.join(' ')} failed (exit ${out.code}) on ${options.version}:\n${out.stderr.trim()}`);
      }
      return out;
    };
    const getJson = (kind: string, name: string, namespace?: string) => {
      const res = kubectl(['get', kind, name, '-o', 'json', ...(namespace ? ['-n', namespace] : [])], { allowFailure: true });
      if (res.code !== 0) {
        if (/NotFound|not found/.test(res.stderr)) return undefined;
        throw new Error(`kubectl get ${kind} ${name} failed on ${options.version}:\n${res.stderr.trim()}`);
      }
      return JSON.parse(res.stdout);
    };
    return { version: options.version, minor, url, kubeconfig, dir, etcdUrl, kubectl, getJson, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

function stderrLog(line: string): void {
  process.stderr.write(`[kube-server ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
}

function openssl(cwd: string, args: string[]): void {
  const res = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`openssl ${args[0]} failed: ${res.stderr || res.error}`);
}

function launch(bin: string, args: string[], logFile: string): ChildProcess {
  const fd = openSync(logFile, 'a');
  const child = spawn(bin, args, { stdio: ['ignore', fd, fd] });
  closeSync(fd);
  child.on('error', () => { /* reported through waitFor (exitCode / log) */ });
  return child;
}

async function stopProcess(p: ChildProcess): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null || !p.pid) return;
  const exited = new Promise<void>((res) => p.once('exit', () => res()));
  try { process.kill(p.pid, 'SIGTERM'); } catch { return; }
  const timer = new Promise<'timeout'>((res) => setTimeout(() => res('timeout'), 10_000).unref());
  if (await Promise.race([exited, timer]) === 'timeout') {
    try { process.kill(p.pid, 'SIGKILL'); } catch { /* gone */ }
    await exited;
  }
}

async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(Array.from({ length: count }, () => new Promise<ReturnType<typeof createServer>>((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => res(s));
  })));
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((res) => s.close(res))));
  return ports;
}

function httpGet(url: string, auth?: { ca: Buffer; token: string }): Promise<{ status: number; body: string }> {
  return new Promise((res) => {
    const done = (status: number, body = '') => res({ status, body });
    const lib = url.startsWith('https:') ? request : httpRequest;
    const req = lib(url, {
      method: 'GET', timeout: 5000,
      ...(auth ? { ca: auth.ca, headers: { Authorization: `Bearer ${auth.token}` } } : {}),
    }, (resp: any) => {
      let body = '';
      resp.on('data', (c: Buffer) => { body += c; });
      resp.on('end', () => done(resp.statusCode ?? 0, body));
    });
    req.on('error', () => done(0));
    req.on('timeout', () => { req.destroy(); done(0); });
    req.end();
  });
}

async function waitFor(check: () => Promise<boolean>, seconds: number, proc: ChildProcess, logFile: string, what: string): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null || proc.signalCode !== null) {
      throw new Error(`${what}: the process exited (${proc.exitCode ?? proc.signalCode}); last log lines:\n${tail(logFile)}`);
    }
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} not ready after ${seconds} s; last log lines:\n${tail(logFile)}`);
}

function tail(file: string, lines = 25): string {
  try { return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n'); } catch { return '(no log)'; }
}
