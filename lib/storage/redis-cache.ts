import { Size } from 'cdk8s';
import { Cpu, k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { SecretKeyReference, secretEnv, StatefulDataService, StatefulDataServiceProps, wholeKibibytes } from './stateful-data-service';
import { fail, show } from '../common/errors';
import { validatePortNumber } from '../common/validation';

/** The official image this library pins by default. */
export const REDIS_DEFAULT_IMAGE = 'redis:7.2.11';
/** The uid (and gid) of the `redis` user in the official image. */
export const REDIS_UID = 999;

/** How often the append-only file is fsynced. */
export type RedisAppendFsync = 'always' | 'everysec' | 'no';

/** What Redis evicts when `maxmemory` is reached. */
export type RedisMaxmemoryPolicy =
  | 'noeviction' | 'allkeys-lru' | 'allkeys-lfu' | 'allkeys-random'
  | 'volatile-lru' | 'volatile-lfu' | 'volatile-random' | 'volatile-ttl';

const FSYNC: RedisAppendFsync[] = ['always', 'everysec', 'no'];
const POLICIES: RedisMaxmemoryPolicy[] = ['noeviction', 'allkeys-lru', 'allkeys-lfu', 'allkeys-random', 'volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl'];

/** The documented server settings, passed as `--name value`. */
export interface RedisSettings {
  /** `appendonly`: persist every write to the append-only file. @default true */
  readonly appendonly?: boolean;
  /** `appendfsync` (only with `appendonly`). @default 'everysec' */
  readonly appendfsync?: RedisAppendFsync;
  /**
   * `maxmemory`: the data-set cap, at least 1MiB and below the memory limit (forks for AOF
   * rewrites need headroom).
   * @default - three quarters of the memory limit
   */
  readonly maxmemory?: Size;
  /** `maxmemory-policy`. @default 'allkeys-lru' */
  readonly maxmemoryPolicy?: RedisMaxmemoryPolicy;
}

/** Props of {@link RedisCache}. */
export interface RedisCacheProps extends StatefulDataServiceProps {
  /** The Secret with the password (`requirepass`); there is no prop for a literal password. */
  readonly credentials: SecretKeyReference;
  /** The port. @default 6379 */
  readonly port?: number;
  /** Server settings. @default - see {@link RedisSettings} */
  readonly settings?: RedisSettings;
}

/**
 * Redis (official image, pinned) as a one-replica StatefulSet with its AOF on a volume claim
 * template, a headless and a client Service, a PodDisruptionBudget, typed and checked server
 * flags, a `redis-cli ping` probe, and `requirepass` from a Secret (expanded by the kubelet, never
 * written in the manifest; `redis-cli` reads it from `REDISCLI_AUTH`). The pod passes PSS
 * *restricted*: uid 999, read-only root file system (Redis writes only to `/data`), `/tmp` as
 * emptyDir, `fsGroup` 999 for the data volume.
 */
export class RedisCache extends StatefulDataService {
  /** The server flags, in order, as passed to `redis-server` (the password is not among them). */
  public readonly serverFlags: Record<string, string>;

  constructor(scope: Construct, id: string, props: RedisCacheProps) {
    const port = props.port ?? 6379;
    super(scope, id, props, {
      component: 'cache',
      containerName: 'redis',
      defaultImage: REDIS_DEFAULT_IMAGE,
      port: { name: 'redis', number: port, protocol: 'TCP' },
      uid: REDIS_UID,
      dataMountPath: '/data',
      defaultStorageSize: Size.gibibytes(8),
      defaultResources: { cpuRequest: Cpu.millis(250), cpuLimit: Cpu.units(1), memoryLimit: Size.gibibytes(1) },
      terminationGracePeriodSeconds: 30,
    });
    validatePortNumber(this, "'port'", port);
    if (!props.credentials || (props.credentials.secretName ?? '') === '') {
      fail(this, '\'credentials.secretName\' is missing: name the Secret holding the Redis \'password\' (there is no prop for a literal password).');
    }
    this.serverFlags = this.resolveFlags(port, props.settings ?? {});
    const passwordKey = props.credentials.passwordKey ?? 'password';

    this.render({
      args: [
        ...Object.entries(this.serverFlags).flatMap(([key, value]) => [`--${key}`, value]),
        '--requirepass', '$(REDIS_PASSWORD)',
      ],
      env: [
        secretEnv('REDIS_PASSWORD', props.credentials.secretName, passwordKey),
        secretEnv('REDISCLI_AUTH', props.credentials.secretName, passwordKey),
      ],
      probeCommand: ['sh', '-c', `test "$(redis-cli -h 127.0.0.1 -p ${port} ping)" = PONG`],
      volumes: [{ name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('64Mi') } }],
      volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
    });
  }

  private resolveFlags(port: number, settings: RedisSettings): Record<string, string> {
    const appendonly = settings.appendonly ?? true;
    if (!appendonly && settings.appendfsync !== undefined) {
      fail(this, `'settings.appendfsync' (${show(settings.appendfsync)}) only applies with 'appendonly': remove it, or set 'appendonly: true'.`);
    }
    const appendfsync = settings.appendfsync ?? 'everysec';
    if (!FSYNC.includes(appendfsync)) {
      fail(this, `'settings.appendfsync' ${show(appendfsync)} is not allowed: use one of ${FSYNC.map((f) => show(f)).join(', ')}.`);
    }
    const policy = settings.maxmemoryPolicy ?? 'allkeys-lru';
    if (!POLICIES.includes(policy)) {
      fail(this, `'settings.maxmemoryPolicy' ${show(policy)} is not a Redis eviction policy: use one of ${POLICIES.map((p) => show(p)).join(', ')}.`);
    }
    const limitKiB = wholeKibibytes(this, "'resources.memoryLimit'", this.memoryLimit);
    const maxmemoryKiB = settings.maxmemory !== undefined
      ? wholeKibibytes(this, "'settings.maxmemory'", settings.maxmemory)
      : Math.floor((limitKiB * 3) / 4);
    const shown = settings.maxmemory?.asString() ?? `${maxmemoryKiB}Ki`;
    if (maxmemoryKiB < 1024) {
      fail(this, `'settings.maxmemory' (${shown}) is below 1MiB: Redis needs room for its own structures; use at least Size.mebibytes(1).`);
    }
    if (maxmemoryKiB >= limitKiB) {
      fail(this, `'settings.maxmemory' (${shown}) must be below the memory limit (${this.memoryLimit.asString()}): Redis needs headroom for copy-on-write during AOF rewrites, or it is OOM-killed; use about three quarters of the limit.`);
    }
    const flags: Record<string, string> = {
      port: String(port),
      dir: '/data',
      appendonly: appendonly ? 'yes' : 'no',
    };
    if (appendonly) flags.appendfsync = appendfsync;
    flags.maxmemory = maxmemoryKiB % 1024 === 0 ? `${maxmemoryKiB / 1024}mb` : `${maxmemoryKiB}kb`;
    flags['maxmemory-policy'] = policy;
    return flags;
  }
}
