import { Size } from 'cdk8s';
import { Cpu, k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { fail, show } from '../common/errors';
import { validateInteger, validatePortNumber } from '../common/validation';
import { secretEnv, StatefulDataService, StatefulDataServiceProps, wholeKibibytes } from './stateful-data-service';

/** The official image this library pins by default. */
export const POSTGRES_DEFAULT_IMAGE = 'postgres:15.17';
/** The uid (and gid) of the `postgres` user in the official image. */
export const POSTGRES_UID = 999;
/** Where the data volume is mounted; PGDATA is a subdirectory so that `lost+found` does not stop initdb. */
export const POSTGRES_MOUNT_PATH = '/var/lib/postgresql/data';

/** The Secret Postgres reads its superuser from. */
export interface PostgresCredentials {
  /** The Secret's name, in the database's namespace. */
  readonly secretName: string;
  /** The key holding the superuser's name (`POSTGRES_USER`). @default 'username' */
  readonly usernameKey?: string;
  /** The key holding the superuser's password (`POSTGRES_PASSWORD`). @default 'password' */
  readonly passwordKey?: string;
}

/** The documented server settings, passed as `-c name=value`. */
export interface PostgresSettings {
  /** `shared_buffers`: at least 128kB and below the memory limit. @default Size.mebibytes(512) */
  readonly sharedBuffers?: Size;
  /** `max_connections`: 1-262143. @default 200 */
  readonly maxConnections?: number;
  /** `effective_cache_size`: the planner's guess of the cache available, at least 8kB. @default Size.gibibytes(1) */
  readonly effectiveCacheSize?: Size;
  /** `work_mem`: per sort/hash operation, 64kB-2147483647kB. @default Size.mebibytes(4) */
  readonly workMem?: Size;
  /** `maintenance_work_mem`: for VACUUM, CREATE INDEX, 1MB-2147483647kB. @default Size.mebibytes(64) */
  readonly maintenanceWorkMem?: Size;
  /**
   * Load `pg_stat_statements` (`shared_preload_libraries`) and create the extension in the
   * database on first start.
   * @default true
   */
  readonly pgStatStatements?: boolean;
}

/** Props of {@link PostgresDatabase}. */
export interface PostgresDatabaseProps extends StatefulDataServiceProps {
  /** The Secret with the superuser's name and password; there is no prop for a literal password. */
  readonly credentials: PostgresCredentials;
  /** The database created on first start (`POSTGRES_DB`). @default 'app' */
  readonly database?: string;
  /** The port. @default 5432 */
  readonly port?: number;
  /** Server settings. @default - see {@link PostgresSettings} */
  readonly settings?: PostgresSettings;
  /** Size of the memory-backed `/dev/shm` (parallel query workers use it). @default Size.mebibytes(256) */
  readonly sharedMemorySize?: Size;
  /**
   * SQL scripts run once, when the data directory is first initialised (`docker-entrypoint-initdb.d`),
   * by file name (`20-schema.sql`: its text), after the pg_stat_statements script. Never put
   * credentials here: the scripts are a ConfigMap. @default {}
   */
  readonly initSql?: Record<string, string>;
}

const MAX_KB = 2147483647;

/**
 * PostgreSQL (official image, pinned) as a one-replica StatefulSet on a volume claim template,
 * with a headless and a client Service, a PodDisruptionBudget, typed and checked server flags,
 * `pg_isready` startup/readiness/liveness probes and credentials from a Secret only. The pod
 * passes PSS *restricted*: uid 999, read-only root file system with emptyDir for
 * `/var/run/postgresql`, `/tmp` and `/dev/shm`, `fsGroup` 999 for the data volume and PGDATA in
 * a subdirectory of the mount. One replica: the official image does not replicate; use an
 * operator for HA.
 */
export class PostgresDatabase extends StatefulDataService {
  /** The database created on first start. */
  public readonly database: string;
  /** The server flags, in order, as passed to `postgres`. */
  public readonly serverFlags: Record<string, string>;

  constructor(scope: Construct, id: string, props: PostgresDatabaseProps) {
    const port = props.port ?? 5432;
    super(scope, id, props, {
      component: 'database',
      containerName: 'postgres',
      defaultImage: POSTGRES_DEFAULT_IMAGE,
      port: { name: 'postgres', number: port, protocol: 'TCP' },
      uid: POSTGRES_UID,
      dataMountPath: POSTGRES_MOUNT_PATH,
      defaultStorageSize: Size.gibibytes(20),
      defaultResources: { cpuRequest: Cpu.millis(500), cpuLimit: Cpu.units(2), memoryLimit: Size.gibibytes(2) },
      terminationGracePeriodSeconds: 60,
    });
    validatePortNumber(this, "'port'", port);
    if (!props.credentials || (props.credentials.secretName ?? '') === '') {
      fail(this, `'credentials.secretName' is missing: name the Secret holding the superuser's 'username' and 'password' (there is no prop for a literal password).`);
    }
    this.database = props.database ?? 'app';
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(this.database)) {
      fail(this, `'database' ${show(this.database)} is not a plain PostgreSQL identifier: use at most 63 lowercase letters, digits and '_', not starting with a digit (e.g. 'users').`);
    }
    this.serverFlags = this.resolveFlags(props.settings ?? {});

    const usernameKey = props.credentials.usernameKey ?? 'username';
    const passwordKey = props.credentials.passwordKey ?? 'password';
    const volumes: k8s.Volume[] = [
      { name: 'run', emptyDir: { sizeLimit: k8s.Quantity.fromString('16Mi') } },
      { name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('1Gi') } },
      { name: 'shm', emptyDir: { medium: 'Memory', sizeLimit: k8s.Quantity.fromString((props.sharedMemorySize ?? Size.mebibytes(256)).asString()) } },
    ];
    const volumeMounts: k8s.VolumeMount[] = [
      { name: 'run', mountPath: '/var/run/postgresql' },
      { name: 'tmp', mountPath: '/tmp' },
      { name: 'shm', mountPath: '/dev/shm' },
    ];
    const scripts: Record<string, string> = {};
    if (props.settings?.pgStatStatements ?? true) scripts['10-pg-stat-statements.sql'] = 'CREATE EXTENSION IF NOT EXISTS pg_stat_statements;\n';
    for (const [file, sql] of Object.entries(props.initSql ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
      if (!/^[A-Za-z0-9][A-Za-z0-9._-]*\.(sql|sql\.gz|sh)$/.test(file) || file.length > 253) {
        fail(this, `'initSql' file name ${show(file)} is not a script name the image runs; use letters, digits, '.', '_' and '-' ending in '.sql' (e.g. '20-schema.sql').`);
      }
      if (file in scripts) fail(this, `'initSql' file name ${show(file)} is the library's own pg_stat_statements script; choose another name (e.g. '20-schema.sql').`);
      if (sql.trim() === '') fail(this, `'initSql' script ${show(file)} is empty; give its SQL or leave it out.`);
      scripts[file] = sql;
    }
    if (Object.keys(scripts).length > 0) {
      const configMap = new k8s.KubeConfigMap(this, 'InitScripts', {
        metadata: { name: `${this.name}-initdb`, labels: this.podLabels },
        data: scripts,
      });
      volumes.push({ name: 'initdb', configMap: { name: configMap.name, defaultMode: 0o444 } });
      volumeMounts.push({ name: 'initdb', mountPath: '/docker-entrypoint-initdb.d', readOnly: true });
    }

    this.render({
      args: Object.entries(this.serverFlags).flatMap(([key, value]) => ['-c', `${key}=${value}`]),
      env: [
        secretEnv('POSTGRES_USER', props.credentials.secretName, usernameKey),
        secretEnv('POSTGRES_PASSWORD', props.credentials.secretName, passwordKey),
        { name: 'POSTGRES_DB', value: this.database },
        { name: 'PGDATA', value: `${POSTGRES_MOUNT_PATH}/pgdata` },
      ],
      probeCommand: ['pg_isready', '--host=127.0.0.1', `--port=${port}`, '--timeout=4'],
      volumes,
      volumeMounts,
    });
  }

  private resolveFlags(settings: PostgresSettings): Record<string, string> {
    const sharedBuffers = settings.sharedBuffers ?? Size.mebibytes(512);
    const maxConnections = settings.maxConnections ?? 200;
    validateInteger(this, "'settings.maxConnections'", maxConnections, 1, 262143);
    const sharedKiB = this.kib("'settings.sharedBuffers'", sharedBuffers, 128, MAX_KB);
    const limitKiB = wholeKibibytes(this, "'resources.memoryLimit'", this.memoryLimit);
    if (sharedKiB >= limitKiB) {
      fail(this, `'settings.sharedBuffers' (${sharedBuffers.asString()}) must be below the memory limit (${this.memoryLimit.asString()}): Postgres would be OOM-killed; use about a quarter of the limit.`);
    }
    const flags: Record<string, string> = {
      shared_buffers: pgSize(sharedKiB),
      max_connections: String(maxConnections),
      effective_cache_size: pgSize(this.kib("'settings.effectiveCacheSize'", settings.effectiveCacheSize ?? Size.gibibytes(1), 8, MAX_KB * 8)),
      work_mem: pgSize(this.kib("'settings.workMem'", settings.workMem ?? Size.mebibytes(4), 64, MAX_KB)),
      maintenance_work_mem: pgSize(this.kib("'settings.maintenanceWorkMem'", settings.maintenanceWorkMem ?? Size.mebibytes(64), 1024, MAX_KB)),
    };
    if (settings.pgStatStatements ?? true) {
      flags.shared_preload_libraries = 'pg_stat_statements';
      flags['pg_stat_statements.track'] = 'all';
    }
    return flags;
  }

  private kib(what: string, size: Size, minKiB: number, maxKiB: number): number {
    const kib = wholeKibibytes(this, what, size);
    if (kib < minKiB || kib > maxKiB) {
      fail(this, `${what} (${size.asString()}) is outside PostgreSQL's range: use ${minKiB}kB to ${maxKiB}kB.`);
    }
    return kib;
  }
}

/** A PostgreSQL memory value: the largest exact unit of kB, MB, GB (1024-based). */
function pgSize(kib: number): string {
  if (kib % (1024 * 1024) === 0) return `${kib / (1024 * 1024)}GB`;
  if (kib % 1024 === 0) return `${kib / 1024}MB`;
  return `${kib}kB`;
}
