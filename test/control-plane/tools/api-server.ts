/**
 * A throw-away etcd + kube-apiserver on 127.0.0.1 (free ports, data in a temp folder) started with
 * extra flags, for the control-plane file tests. Minimal on purpose: the cluster helper's shared
 * harness (test/cluster/support/kube-server.ts) was not on its branch when this was written.
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A running API server. Always `stop()` it. */
export interface TestApiServer {
  /** The temp folder: etcd data, logs, kubeconfig. */
  readonly dir: string;
  /** etcd's client URL. */
  readonly etcdUrl: string;
  /** Runs kubectl against the server (cluster-admin); never throws. */
  kubectl(args: readonly string[], input?: string): { code: number; stdout: string; stderr: string };
  /** The raw value of an etcd key (`etcdctl get --print-value-only`), as bytes. */
  etcdValue(key: string): Buffer;
  /** Kills kube-apiserver then etcd (by pid) and removes the temp folder. */
  stop(): Promise<void>;
}

/** Options of {@link startTestApiServer}. */
export interface TestApiServerOptions {
  /** The kube-apiserver binary. */
  readonly apiServer: string;
  /** More kube-apiserver flags (`--audit-policy-file=...`). */
  readonly extraArgs?: readonly string[];
  /** Seconds to wait for /readyz. @default 90 */
  readonly readyTimeoutSeconds?: number;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

function launch(bin: string, args: readonly string[], log: string): ChildProcess {
  const fd = openSync(log, 'a');
  const child = spawn(bin, args, { stdio: ['ignore', fd, fd] });
  closeSync(fd);
  return child;
}

async function waitFor(check: () => boolean, seconds: number, what: () => string): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`timed out after ${seconds}s waiting for ${what()}`);
}

/** Starts etcd, then kube-apiserver with `extraArgs`; throws with the server's log tail when it does not become ready. */
export async function startTestApiServer(options: TestApiServerOptions): Promise<TestApiServer> {
  const dir = mkdtempSync(join(tmpdir(), 'control-plane-apiserver-'));
  const procs: ChildProcess[] = [];
  const kill = async () => {
    for (const p of procs.reverse()) {
      if (p.exitCode === null && p.pid !== undefined) {
        const exited = new Promise((r) => p.once('exit', r));
        p.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000).unref())]);
        if (p.exitCode === null) p.kill('SIGKILL');
      }
    }
  };
  try {
    const [etcdClient, etcdPeer, apiPort] = [await freePort(), await freePort(), await freePort()];
    const etcdUrl = `http://127.0.0.1:${etcdClient}`;
    procs.push(launch('etcd', [
      '--name=test', `--data-dir=${join(dir, 'etcd')}`, `--listen-client-urls=${etcdUrl}`, `--advertise-client-urls=${etcdUrl}`,
      `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`, `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
      `--initial-cluster=test=http://127.0.0.1:${etcdPeer}`, '--log-level=warn',
    ], join(dir, 'etcd.log')));
    const etcdctl = (args: string[]) => spawnSync('etcdctl', [`--endpoints=${etcdUrl}`, ...args], { env: { ...process.env, ETCDCTL_API: '3' } });
    await waitFor(() => etcdctl(['endpoint', 'health']).status === 0, 30, () => `etcd:\n${tail(join(dir, 'etcd.log'))}`);

    const key = spawnSync('openssl', ['genrsa', '-out', join(dir, 'sa.key'), '2048'], { encoding: 'utf8' });
    if (key.status !== 0) throw new Error(`openssl genrsa failed: ${key.stderr}`);
    const token = `t${Math.random().toString(36).slice(2)}${Date.now()}`;
    writeFileSync(join(dir, 'tokens.csv'), `${token},admin,admin,system:masters\n`);
    // The extra flags replace base flags of the same name (e.g. --authorization-mode).
    const extra = options.extraArgs ?? [];
    const named = new Set(extra.map((a) => a.split('=')[0]));
    const base = [
      `--etcd-servers=${etcdUrl}`, '--bind-address=127.0.0.1', '--advertise-address=127.0.0.1', `--secure-port=${apiPort}`,
      `--cert-dir=${join(dir, 'certs')}`, '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${join(dir, 'sa.key')}`, `--service-account-signing-key-file=${join(dir, 'sa.key')}`,
      `--token-auth-file=${join(dir, 'tokens.csv')}`, '--authorization-mode=RBAC', '--service-cluster-ip-range=10.96.0.0/16',
      // kubeadm's static pod passes this; without it the API server refuses privileged pods itself.
      '--allow-privileged=true',
    ].filter((a) => !named.has(a.split('=')[0]));
    procs.push(launch(options.apiServer, [...base, ...extra], join(dir, 'kube-apiserver.log')));
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, [
      'apiVersion: v1', 'kind: Config', 'current-context: test',
      'clusters:', '- name: test', '  cluster:', `    server: https://127.0.0.1:${apiPort}`, '    insecure-skip-tls-verify: true',
      'users:', '- name: admin', '  user:', `    token: ${token}`,
      'contexts:', '- name: test', '  context: { cluster: test, user: admin }', '',
    ].join('\n'));
    const kubectl = (args: readonly string[], input?: string) => {
      const res = spawnSync(process.env.KUBECTL ?? 'kubectl', [`--kubeconfig=${kubeconfig}`, ...args], { input, encoding: 'utf8' });
      return { code: res.status ?? -1, stdout: res.stdout ?? '', stderr: res.stderr ?? String(res.error ?? '') };
    };
    const apiServerProc = procs[procs.length - 1];
    await waitFor(
      () => {
        if (apiServerProc.exitCode !== null) throw new Error(`kube-apiserver exited (${apiServerProc.exitCode}):\n${tail(join(dir, 'kube-apiserver.log'))}`);
        return kubectl(['get', '--raw', '/readyz']).stdout.trim() === 'ok';
      },
      options.readyTimeoutSeconds ?? 90,
      () => `kube-apiserver /readyz:\n${tail(join(dir, 'kube-apiserver.log'))}`,
    );
    return {
      dir, etcdUrl, kubectl,
      etcdValue: (k) => {
        const res = etcdctl(['get', k, '--print-value-only']);
        if (res.status !== 0) throw new Error(`etcdctl get ${k} failed: ${res.stderr}`);
        return res.stdout;
      },
      stop: async () => {
        await kill();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await kill();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-25).join('\n');
  } catch {
    return '(no log)';
  }
}
