import { Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { addFluentBitSidecar, FluentBitSidecar, FluentBitSidecarOptions } from '../../lib/observability';
import { FLUENT_BIT_IMAGE } from '../../lib/observability/fluent-bit-sidecar';
import { checkPodSecurity } from '../../lib/policy';
import { SecureDeployment } from '../../lib/workload';

/** A stand-in for SecureDeployment: exposes `deployment` and `container`. */
class App extends Construct {
  public readonly deployment: kplus.Deployment;
  public readonly container: kplus.Container;
  constructor(scope: Construct, id: string, port = 8080) {
    super(scope, id);
    this.deployment = new kplus.Deployment(this, 'Deployment', {
      metadata: { name: id },
      securityContext: { ensureNonRoot: true },
      containers: [{ name: 'app', image: 'registry.example.com/app:1.0.0', portNumber: port, securityContext: { user: 1000 } }],
    });
    this.container = this.deployment.containers[0];
  }
}

function build(options: FluentBitSidecarOptions = {}) {
  const chart = Testing.chart();
  const app = new App(chart, 'user-service');
  const sidecar = addFluentBitSidecar(app, options);
  const objects = Testing.synth(chart);
  const deployment = objects.find((o: any) => o.kind === 'Deployment');
  const configMap = objects.find((o: any) => o.kind === 'ConfigMap');
  const podSpec = deployment.spec.template.spec;
  const container = (name: string) => podSpec.containers.find((c: any) => c.name === name);
  return { chart, app, sidecar, deployment, configMap, podSpec, container };
}

describe('FluentBitSidecar', () => {
  test('shares an emptyDir log volume: the app writes, the sidecar reads', () => {
    const { podSpec, container } = build();
    const logs = podSpec.volumes.find((v: any) => v.name === 'app-logs');
    expect(logs).toEqual({ name: 'app-logs', emptyDir: { sizeLimit: '512Mi' } });
    const appMount = container('app').volumeMounts.find((m: any) => m.name === 'app-logs');
    expect(appMount).toMatchObject({ mountPath: '/var/log/app' });
    expect(appMount.readOnly ?? false).toBe(false);
    expect(container('fluent-bit').volumeMounts).toContainEqual(expect.objectContaining({ name: 'app-logs', mountPath: '/var/log/app', readOnly: true }));
  });

  test('the sidecar is hardened to PSS restricted with its own security context', () => {
    const { podSpec, container } = build();
    const sidecar = container('fluent-bit');
    expect(sidecar.securityContext).toEqual({
      runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, privileged: false, readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' },
    });
    // The pod-level checks (volumes, host namespaces) plus the sidecar alone: the test app container is not hardened.
    expect(checkPodSecurity({ ...podSpec, containers: [sidecar] }, undefined, 'restricted')).toEqual([]);
    // ...and the checker does see a weakened sidecar.
    const weakened = { ...sidecar, securityContext: { ...sidecar.securityContext, allowPrivilegeEscalation: true } };
    expect(checkPodSecurity({ ...podSpec, containers: [weakened] }).map((v) => v.rule)).toEqual(['allowPrivilegeEscalation']);
  });

  test('pins the image and sets requests and limits', () => {
    const { container } = build();
    const sidecar = container('fluent-bit');
    expect(sidecar.image).toBe(FLUENT_BIT_IMAGE);
    expect(FLUENT_BIT_IMAGE).toMatch(/:\d+\.\d+\.\d+$/);
    expect(sidecar.resources).toEqual({
      requests: { 'cpu': '50m', 'ephemeral-storage': '64Mi', 'memory': '64Mi' },
      // 640Mi: the log (512Mi) and state (64Mi) volumes it adds to the pod, plus 64Mi for its own logs
      limits: { 'cpu': '200m', 'ephemeral-storage': '640Mi', 'memory': '128Mi' },
    });
  });

  test('probes the Fluent Bit HTTP server on 2020: liveness /api/v1/health, readiness /', () => {
    const { container, configMap } = build();
    const sidecar = container('fluent-bit');
    expect(sidecar.livenessProbe.httpGet).toEqual({ path: '/api/v1/health', port: 2020, scheme: 'HTTP' });
    expect(sidecar.readinessProbe.httpGet).toEqual({ path: '/', port: 2020, scheme: 'HTTP' });
    expect(sidecar.ports).toEqual([{ containerPort: 2020, name: 'fluent-bit', protocol: 'TCP' }]);
    const conf = configMap.data['fluent-bit.conf'];
    expect(conf).toMatch(/HTTP_Server +On/);
    expect(conf).toMatch(/HTTP_Port +2020/);
    expect(conf).toMatch(/Health_Check +On/);
  });

  test('renders a ConfigMap with input, JSON parser, enrichment and output, mounted read-only', () => {
    const { configMap, container, podSpec, deployment, sidecar } = build();
    expect(configMap.metadata.name).toBe('user-service-fluent-bit');
    expect(Object.keys(configMap.data).sort()).toEqual(['fluent-bit.conf', 'parsers.conf']);
    const conf: string = configMap.data['fluent-bit.conf'];
    expect(conf).toContain('[INPUT]\n    Name             tail\n');
    expect(conf).toMatch(/Path +\/var\/log\/app\/\*\.log/);
    expect(conf).toMatch(/Parser +json/);
    expect(conf).toMatch(/Parsers_File +\/fluent-bit\/etc\/parsers\.conf/);
    expect(conf).toMatch(/Record +k8s_pod \$\{POD_NAME\}/);
    expect(conf).toMatch(/\[OUTPUT\]\n +Name +stdout/);
    expect(configMap.data['parsers.conf']).toMatch(/\[PARSER\]\n +Name +json\n +Format +json\n +Time_Key +time/);
    expect(podSpec.volumes).toContainEqual({ name: 'fluent-bit-config', configMap: { name: 'user-service-fluent-bit' } });
    expect(container('fluent-bit').volumeMounts).toContainEqual(expect.objectContaining({ name: 'fluent-bit-config', mountPath: '/fluent-bit/etc', readOnly: true }));
    expect(container('fluent-bit').args).toEqual(['--config=/fluent-bit/etc/fluent-bit.conf']);
    expect(deployment.spec.template.metadata.annotations['checksum/fluent-bit-config']).toMatch(/^[a-f0-9]{64}$/);
    expect(sidecar.fluentBitConf).toBe(conf);
  });

  test('the config checksum changes with the config and is stable otherwise', () => {
    const checksum = (options: FluentBitSidecarOptions) => build(options).deployment.spec.template.metadata.annotations['checksum/fluent-bit-config'];
    expect(checksum({})).toBe(checksum({}));
    expect(checksum({ parser: 'none' })).not.toBe(checksum({}));
  });

  test('renders forward, elasticsearch and loki outputs', () => {
    const forward = build({ output: { kind: 'forward', host: 'fluentd.logging.svc' } }).configMap.data['fluent-bit.conf'];
    expect(forward).toMatch(/Name +forward\n +Match +\*\n +Host +fluentd\.logging\.svc\n +Port +24224\n +tls +On/);
    const es = build({ output: { kind: 'elasticsearch', host: 'es.logging.svc', index: 'shop-logs' } }).configMap.data['fluent-bit.conf'];
    expect(es).toMatch(/Name +es\n/);
    expect(es).toMatch(/Index +shop-logs/);
    expect(es).toMatch(/Port +9200/);
    const loki = build({ output: { kind: 'loki', host: 'loki.logging.svc' } }).configMap.data['fluent-bit.conf'];
    expect(loki).toMatch(/Port +3100\n +tls +Off/);
    expect(loki).toMatch(/Labels +app=user-service, namespace=\$\{POD_NAMESPACE\}/);
  });

  test('overrides directory, files, parser, resources, user and volume size', () => {
    const { configMap, container, podSpec } = build({
      logDir: '/logs', logFiles: 'app-*.json', parser: 'none', cpuRequest: '100m', cpuLimit: '1', memoryRequest: '128Mi', memoryLimit: '1Gi',
      user: 2000, logVolumeSizeLimit: Size.gibibytes(1), image: 'registry.example.com/fluent-bit:3.2.10',
    });
    expect(configMap.data['fluent-bit.conf']).toMatch(/Path +\/logs\/app-\*\.json/);
    expect(configMap.data['fluent-bit.conf']).not.toMatch(/Parser +json/);
    expect(container('fluent-bit').resources).toEqual({
      requests: { 'cpu': '100m', 'ephemeral-storage': '64Mi', 'memory': '128Mi' },
      limits: { 'cpu': '1000m', 'ephemeral-storage': '1152Mi', 'memory': '1024Mi' },
    });
    expect(container('fluent-bit').securityContext.runAsUser).toBe(2000);
    expect(container('app').volumeMounts).toContainEqual(expect.objectContaining({ mountPath: '/logs' }));
    expect(podSpec.volumes.find((v: any) => v.name === 'app-logs').emptyDir.sizeLimit).toBe('1024Mi');
  });

  test('works on the construct directly', () => {
    const chart = Testing.chart();
    const app = new App(chart, 'api');
    const sidecar = new FluentBitSidecar(chart, 'Logs', { workload: app.deployment, container: app.container });
    expect(sidecar.container.name).toBe('fluent-bit');
    expect(app.deployment.containers.map((c) => c.name)).toEqual(['app', 'fluent-bit']);
  });

  test.each([
    ['latest', 'fluent/fluent-bit:latest', "the 'latest' tag moves under running pods; use a version tag or a digest"],
    ['untagged', 'fluent/fluent-bit', 'it has no tag or digest, so every node may run a different build; add a version tag or a digest'],
    ['port-only', 'registry:5000/fluent-bit', 'it has no tag or digest'],
  ])('throws on an unpinned image (%s)', (_, image, why) => {
    expect(() => build({ image })).toThrow(`FluentBitSidecar 'test/user-service/FluentBit': 'image' '${image}' is not pinned: ${why}`);
  });

  test('throws on a malformed image', () => {
    expect(() => build({ image: 'Fluent/Fluent-Bit:3' })).toThrow(
      "FluentBitSidecar 'test/user-service/FluentBit': 'image' 'Fluent/Fluent-Bit:3' is not a valid image reference: use '[registry/]repository:tag' or '[registry/]repository@sha256:<digest>' (e.g. 'cr.fluentbit.io/fluent/fluent-bit:",
    );
  });

  test('accepts latest when a digest pins it', () => {
    expect(() => build({ image: `fluent/fluent-bit:latest@sha256:${'a'.repeat(64)}` })).not.toThrow();
  });

  test('accepts an image pinned by digest', () => {
    expect(() => build({ image: `fluent/fluent-bit@sha256:${'a'.repeat(64)}` })).not.toThrow();
  });

  test('throws on bad paths, patterns and users', () => {
    expect(() => build({ logDir: 'logs' })).toThrow(/'logDir' 'logs' is not an absolute directory path/);
    expect(() => build({ logDir: '/var/log/' })).toThrow(/'logDir' '\/var\/log\/' is not an absolute directory path/);
    expect(() => build({ logDir: '/fluent-bit/etc' })).toThrow(/'logDir' '\/fluent-bit\/etc' overlaps the sidecar's own '\/fluent-bit' directories/);
    expect(() => build({ logFiles: 'sub/*.log' })).toThrow(/'logFiles' 'sub\/\*\.log' is not a file pattern inside 'logDir'/);
    expect(() => build({ user: 0 })).toThrow(/'user' 0 is not allowed: use a non-root UID/);
    expect(() => build({ timeKey: 'a\nb' })).toThrow(/'timeKey' [\s\S]* cannot go into fluent-bit.conf/);
  });

  test('throws on bad resources', () => {
    expect(() => build({ cpuLimit: '10m' })).toThrow(/'cpuLimit' \(10m\) must be at least 'cpuRequest' \(50m\)/);
    expect(() => build({ memoryRequest: '64MB' })).toThrow(/'memoryRequest' '64MB' is not a valid Kubernetes quantity/);
    expect(() => build({ cpuRequest: '0' })).toThrow(/'cpuRequest' '0' must be above zero/);
    expect(() => build({ memoryLimit: '100M' })).toThrow(/'memoryLimit' '100M' is not a whole number of mebibytes/);
  });

  test('throws on bad outputs', () => {
    expect(() => build({ output: { kind: 'forward', host: 'Fluentd_Host' } })).toThrow(/output 'host' 'Fluentd_Host' is not a host name or IPv4 address/);
    expect(() => build({ output: { kind: 'loki', host: 'loki', port: 70000 } })).toThrow(/output 'port' 70000 is not a valid port number/);
    expect(() => build({ output: { kind: 'elasticsearch', host: 'es', index: 'Logs' } })).toThrow(/output 'index' 'Logs' is not a valid index name/);
  });

  test('throws when the app already uses port 2020, has a sidecar, or the container is foreign', () => {
    const chart = Testing.chart();
    const clash = new App(chart, 'clash', 2020);
    expect(() => addFluentBitSidecar(clash)).toThrow(/port 2020 is already used by the workload/);
    const twice = new App(chart, 'twice');
    new FluentBitSidecar(twice, 'A', { workload: twice.deployment, container: twice.container });
    expect(() => new FluentBitSidecar(twice, 'B', { workload: twice.deployment, container: twice.container })).toThrow(/already has a container named 'fluent-bit'/);
    const other = new App(chart, 'other');
    expect(() => new FluentBitSidecar(chart, 'C', { workload: twice.deployment, container: other.container })).toThrow(/container 'app' is not a container of 'twice'/);
  });
});

describe('Fluent Bit output flows under default-deny (issue 14)', () => {
  function isolated(options: FluentBitSidecarOptions) {
    const chart = Testing.chart();
    (chart as any).namespace = 'production';
    const api = new SecureDeployment(chart, 'api', { image: 'myregistry.com/api:v1.0.0' });
    api.allowFromCidr('10.0.0.0/8');
    addFluentBitSidecar(api, options);
    return Testing.synth(chart).find((o: any) => o.kind === 'NetworkPolicy').spec.egress;
  }

  test('opens the output: an IPv4 host as /32, a CIDR or a namespace peer', () => {
    expect(isolated({ output: { kind: 'forward', host: '10.0.5.12' } })).toEqual([{ to: [{ ipBlock: { cidr: '10.0.5.12/32' } }], ports: [{ port: 24224, protocol: 'TCP' }] }]);
    expect(isolated({ output: { kind: 'loki', host: 'loki.logging.svc' }, outputPeer: { namespace: 'logging', podLabels: { app: 'loki' } } })).toEqual([{
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'logging' } }, podSelector: { matchLabels: { app: 'loki' } } }],
      ports: [{ port: 3100, protocol: 'TCP' }],
    }]);
    expect(isolated({})).toEqual([]);
  });

  test('refuses a named output host it cannot open', () => {
    expect(() => isolated({ output: { kind: 'forward', host: 'fluentd.logging.svc' } })).toThrow(
      "FluentBitSidecar 'test/api/FluentBit': the output host 'fluentd.logging.svc' is a name, and the pods of 'api' are isolated by NetworkPolicy, so the logs could not leave the pod; set 'outputPeer' to the aggregator's CIDR ({ cidr: '10.0.5.0/24' }) or namespace ({ namespace: 'logging', podLabels: { app: 'fluentd' } }).");
  });
});
