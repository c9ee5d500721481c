import { Duration, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { LoadBalancerPreset, SecureDeployment, SecureDeploymentProps, WorkloadEnv, WorkloadProbe } from '../../lib';
import { findAll, findOne, mainContainer } from '../support/manifests';
import { expectRestricted } from '../support/pod-security';

const IMAGE = 'myregistry.com/user-service:v1.2.3';

function build(props: Partial<SecureDeploymentProps> = {}) {
  const chart = Testing.chart();
  const workload = new SecureDeployment(chart, 'api', { image: IMAGE, ...props });
  return { chart, workload };
}

/** Builds a workload from `props` and returns the message it throws. */
function errorOf(props: Partial<SecureDeploymentProps>): string {
  try {
    build(props);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected the construct to throw');
}

describe('SecureDeployment defaults', () => {
  const { chart } = build();
  const deployment = findOne(chart, 'Deployment');
  const pod = deployment.spec.template.spec;
  const container = mainContainer(deployment);

  test('runs as non-root uid/gid/fsGroup 1001 with the RuntimeDefault seccomp profile', () => {
    expect(pod.securityContext).toEqual({
      fsGroup: 1001,
      fsGroupChangePolicy: 'OnRootMismatch',
      runAsGroup: 1001,
      runAsNonRoot: true,
      runAsUser: 1001,
      seccompProfile: { type: 'RuntimeDefault' },
    });
  });

  test('drops all capabilities, forbids escalation and mounts the root filesystem read-only', () => {
    expect(container.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsGroup: 1001,
      runAsNonRoot: true,
      runAsUser: 1001,
      seccompProfile: { type: 'RuntimeDefault' },
    });
  });

  test('gives a writable, size-limited /tmp', () => {
    expect(container.volumeMounts).toContainEqual({ mountPath: '/tmp', name: 'tmp' });
    expect(pod.volumes).toContainEqual({ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } });
  });

  test('sets 250m/256Mi requests and 500m/512Mi limits', () => {
    expect(container.resources).toEqual({
      requests: { 'cpu': '250m', 'memory': '256Mi', 'ephemeral-storage': '64Mi' },
      limits: { 'cpu': '500m', 'memory': '512Mi', 'ephemeral-storage': '256Mi' },
    });
  });

  test('probes /health, /ready and /startup on the main port', () => {
    expect(container.livenessProbe).toEqual({
      httpGet: { path: '/health', port: 'http', scheme: 'HTTP' },
      failureThreshold: 3, initialDelaySeconds: 0, periodSeconds: 10, successThreshold: 1, timeoutSeconds: 3,
    });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/ready', port: 'http', scheme: 'HTTP' });
    expect(container.readinessProbe.periodSeconds).toBe(5);
    expect(container.startupProbe.httpGet).toEqual({ path: '/startup', port: 'http', scheme: 'HTTP' });
    expect(container.startupProbe.failureThreshold * container.startupProbe.periodSeconds).toBe(150);
  });

  test('declares the http 8080 port and pulls the image Always', () => {
    expect(container.ports).toEqual([{ containerPort: 8080, name: 'http', protocol: 'TCP' }]);
    expect(container.imagePullPolicy).toBe('Always');
  });

  test('runs 2 replicas with a zero-downtime rolling update', () => {
    expect(deployment.spec.replicas).toBe(2);
    expect(deployment.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
  });

  test('uses a dedicated ServiceAccount without a token', () => {
    const sa = findOne(chart, 'ServiceAccount');
    expect(sa.metadata.name).toBe('api');
    expect(sa.automountServiceAccountToken).toBe(false);
    expect(pod.serviceAccountName).toBe('api');
    expect(pod.automountServiceAccountToken).toBe(false);
  });

  test('spreads replicas over hosts and zones', () => {
    expect(pod.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution).toEqual([{
      weight: 100, podAffinityTerm: { labelSelector: { matchLabels: { app: 'api' } }, topologyKey: 'kubernetes.io/hostname' },
    }]);
    expect(pod.topologySpreadConstraints).toEqual([{
      labelSelector: { matchLabels: { app: 'api' } }, maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway',
    }]);
  });

  test('labels every object alike and selects by the stable app label only', () => {
    const expected = {
      'app': 'api',
      'app.kubernetes.io/component': 'backend',
      'app.kubernetes.io/instance': 'api',
      'app.kubernetes.io/managed-by': 'cdk8s-guardrails',
      'app.kubernetes.io/name': 'api',
      'app.kubernetes.io/version': 'v1.2.3',
      'component': 'backend',
      'version': 'v1.2.3',
    };
    for (const kind of ['Deployment', 'Service', 'ServiceAccount', 'PodDisruptionBudget']) {
      expect(findOne(chart, kind).metadata.labels).toEqual(expected);
    }
    expect(deployment.spec.template.metadata.labels).toMatchObject(expected);
    expect(deployment.spec.selector).toEqual({ matchLabels: { app: 'api' } });
    expect(findOne(chart, 'Service').spec.selector).toEqual({ app: 'api' });
    expect(findOne(chart, 'PodDisruptionBudget').spec.selector).toEqual({ matchLabels: { app: 'api' } });
  });

  test('creates a ClusterIP Service on every port and a PodDisruptionBudget of maxUnavailable 1', () => {
    expect(findOne(chart, 'Service').spec).toEqual({
      type: 'ClusterIP', selector: { app: 'api' },
      ports: [{ name: 'http', port: 8080, protocol: 'TCP', targetPort: 'http' }],
    });
    expect(findOne(chart, 'PodDisruptionBudget').spec.maxUnavailable).toBe(1);
  });

  test('sizes the ephemeral-storage limit to /tmp plus 192Mi for logs and the writable layer', () => {
    const { chart: big } = build({ tmpSize: Size.gibibytes(1) });
    expect(mainContainer(findOne(big, 'Deployment')).resources.limits['ephemeral-storage']).toBe('1216Mi');
  });

  test('lets node drains evict pods that are not Ready (PDB unhealthyPodEvictionPolicy AlwaysAllow)', () => {
    expect(findOne(chart, 'PodDisruptionBudget').spec.unhealthyPodEvictionPolicy).toBe('AlwaysAllow');
  });

  test('creates no autoscaler, ConfigMap or scrape annotations unless asked', () => {
    expect(findAll(chart, 'HorizontalPodAutoscaler')).toHaveLength(0);
    expect(findAll(chart, 'ConfigMap')).toHaveLength(0);
    expect(deployment.spec.template.metadata.annotations).toBeUndefined();
  });
});

describe('SecureDeployment options', () => {
  test('writes every kind of environment variable', () => {
    const { chart } = build({
      env: {
        LITERAL: WorkloadEnv.value('x'),
        FROM_CM: WorkloadEnv.fromConfigMap('settings', 'level'),
        FROM_SECRET: WorkloadEnv.fromSecret('creds', 'password'),
        HOST_IP: WorkloadEnv.fromField('status.hostIP'),
      },
      envFrom: { configMaps: ['shared-settings'], secrets: ['shared-creds'] },
    });
    const container = mainContainer(findOne(chart, 'Deployment'));
    expect(container.env).toEqual([
      { name: 'FROM_CM', valueFrom: { configMapKeyRef: { name: 'settings', key: 'level', optional: false } } },
      { name: 'FROM_SECRET', valueFrom: { secretKeyRef: { name: 'creds', key: 'password', optional: false } } },
      { name: 'HOST_IP', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } },
      { name: 'LITERAL', value: 'x' },
    ]);
    expect(container.envFrom).toEqual([{ configMapRef: { name: 'shared-settings' } }, { secretRef: { name: 'shared-creds' } }]);
  });

  test('creates its ConfigMap, mounts its files read-only and exports only its data keys as environment', () => {
    const { chart } = build({ config: { data: { LOG_LEVEL: 'info' }, files: { 'app.yaml': 'a: 1\n' }, mountPath: '/etc/app' } });
    const configMap = findOne(chart, 'ConfigMap');
    expect(configMap.metadata.name).toBe('api-config');
    expect(configMap.data).toEqual({ 'app.yaml': 'a: 1\n', 'LOG_LEVEL': 'info' });
    const deployment = findOne(chart, 'Deployment');
    const container = mainContainer(deployment);
    expect(container.volumeMounts).toContainEqual({ mountPath: '/etc/app', name: 'config', readOnly: true });
    expect(deployment.spec.template.spec.volumes).toContainEqual({
      name: 'config', configMap: { name: 'api-config', items: [{ key: 'app.yaml', path: 'app.yaml' }] },
    });
    // Issue 14 problem 4: the whole ConfigMap went to envFrom, so 'app.yaml' became a variable.
    expect(container.envFrom).toBeUndefined();
    expect(container.env).toEqual([{ name: 'LOG_LEVEL', valueFrom: { configMapKeyRef: { key: 'LOG_LEVEL', name: 'api-config' } } }]);
  });

  test('refuses a config data key that is no env name, unless envKeys leaves it out', () => {
    expect(errorOf({ config: { data: { 'redis-url': 'redis://redis:6379' } } })).toBe(
      "SecureDeployment 'test/api': 'config.data' key 'redis-url' is not a valid environment variable name, and every data key is exported as one; rename it (e.g. 'REDIS_URL'), or list the keys to export in 'config.envKeys' (e.g. [] for none) and read the others with WorkloadEnv.fromConfigMap.");
    const { chart } = build({ config: { data: { 'redis-url': 'redis://redis:6379', 'MODE': 'x' }, envKeys: ['MODE'] } });
    expect(mainContainer(findOne(chart, 'Deployment')).env).toEqual([{ name: 'MODE', valueFrom: { configMapKeyRef: { key: 'MODE', name: 'api-config' } } }]);
    expect(errorOf({ config: { data: { MODE: 'x' }, envKeys: ['OTHER'] } })).toMatch(/'config.envKeys' entry 'OTHER' is not a key of 'config.data' \('MODE'\)/);
  });

  test('mounts ConfigMaps and Secrets read-only', () => {
    const { chart } = build({
      configMapMounts: [{ configMapName: 'settings', mountPath: '/etc/settings' }],
      secretMounts: [{ secretName: 'creds', mountPath: '/etc/secrets' }],
    });
    const deployment = findOne(chart, 'Deployment');
    expect(mainContainer(deployment).volumeMounts).toEqual([
      { mountPath: '/tmp', name: 'tmp' },
      { mountPath: '/etc/settings', name: 'configmap-0', readOnly: true },
      { mountPath: '/etc/secrets', name: 'secret-0', readOnly: true },
    ]);
    expect(deployment.spec.template.spec.volumes).toContainEqual({ name: 'secret-0', secret: { secretName: 'creds' } });
  });

  test('leaves replicas to the autoscaler and sizes the PDB by its minimum', () => {
    const { chart, workload } = build({ autoscaling: { minReplicas: 3, maxReplicas: 10 } });
    expect(findOne(chart, 'Deployment').spec.replicas).toBeUndefined();
    expect(workload.replicas).toBe(3);
    expect(findOne(chart, 'HorizontalPodAutoscaler')).toMatchObject({
      apiVersion: 'autoscaling/v2',
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' },
        minReplicas: 3,
        maxReplicas: 10,
        metrics: [
          { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
          { type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 80 } } },
        ],
      },
    });
    expect(findAll(chart, 'PodDisruptionBudget')).toHaveLength(1);
  });

  test('keeps Kubernetes\' IfHealthyBudget eviction policy when asked', () => {
    const { chart } = build({ disruptionBudget: { unhealthyPodEvictionPolicy: 'IfHealthyBudget' } });
    expect(findOne(chart, 'PodDisruptionBudget').spec.unhealthyPodEvictionPolicy).toBe('IfHealthyBudget');
  });

  test('a single replica gets no PDB and no spreading', () => {
    const { chart } = build({ replicas: 1 });
    expect(findAll(chart, 'PodDisruptionBudget')).toHaveLength(0);
    expect(findOne(chart, 'Deployment').spec.template.spec.affinity).toBeUndefined();
  });

  test('annotates pods for Prometheus when metrics are declared', () => {
    const { chart, workload } = build({ ports: [{ name: 'http', number: 8080 }, { name: 'metrics', number: 9090 }], metrics: { port: 'metrics' } });
    expect(findOne(chart, 'Deployment').spec.template.metadata.annotations).toEqual({
      'prometheus.io/path': '/metrics', 'prometheus.io/port': '9090', 'prometheus.io/scrape': 'true',
    });
    expect(workload.metrics?.port).toEqual({ name: 'metrics', number: 9090, protocol: 'TCP' });
  });

  test('annotates the ServiceAccount for AWS IRSA and Alibaba Cloud RRSA', () => {
    const { chart } = build({
      serviceAccount: { awsRoleArn: 'arn:aws:iam::123456789012:role/user-service', alibabaRamRoleName: 'user-service-role' },
    });
    expect(findOne(chart, 'ServiceAccount').metadata.annotations).toEqual({
      'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/user-service',
      'pod-identity.alibabacloud.com/role-name': 'user-service-role',
    });
  });

  test('applies the internal load balancer presets', () => {
    const aws = build({ service: { type: 'LoadBalancer', loadBalancer: LoadBalancerPreset.awsInternalNlb() } });
    expect(findOne(aws.chart, 'Service').metadata.annotations).toEqual({
      'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
      'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal',
      'service.beta.kubernetes.io/aws-load-balancer-type': 'external',
    });
    const ali = build({ service: { type: 'LoadBalancer', loadBalancer: LoadBalancerPreset.of('alibaba-internal-slb') } });
    expect(findOne(ali.chart, 'Service').spec.type).toBe('LoadBalancer');
    expect(findOne(ali.chart, 'Service').metadata.annotations).toEqual({
      'service.beta.kubernetes.io/alibaba-cloud-loadbalancer-address-type': 'intranet',
    });
  });

  test('sets scheduling fields as given', () => {
    const { chart } = build({
      nodeSelector: { 'node-role': 'app' },
      tolerations: [{ key: 'dedicated', value: 'app', effect: 'NoSchedule' }],
      priorityClassName: 'high',
      terminationGracePeriod: Duration.seconds(60),
      tmpSize: Size.mebibytes(128),
    });
    const pod = findOne(chart, 'Deployment').spec.template.spec;
    expect(pod.nodeSelector).toEqual({ 'node-role': 'app' });
    expect(pod.tolerations).toEqual([{ key: 'dedicated', operator: 'Equal', value: 'app', effect: 'NoSchedule' }]);
    expect(pod.priorityClassName).toBe('high');
    expect(pod.terminationGracePeriodSeconds).toBe(60);
    expect(pod.volumes).toContainEqual({ name: 'tmp', emptyDir: { sizeLimit: '128Mi' } });
  });

  test('takes TCP and exec probes and records why a probe is disabled', () => {
    const { chart } = build({
      probes: {
        liveness: WorkloadProbe.tcp({ port: 'http', period: Duration.seconds(20) }),
        readiness: WorkloadProbe.exec(['/bin/check']),
        startup: WorkloadProbe.disabled('starts in under a second'),
      },
    });
    const deployment = findOne(chart, 'Deployment');
    const container = mainContainer(deployment);
    expect(container.livenessProbe).toMatchObject({ tcpSocket: { port: 'http' }, periodSeconds: 20 });
    expect(container.readinessProbe).toMatchObject({ exec: { command: ['/bin/check'] } });
    expect(container.startupProbe).toBeUndefined();
    expect(deployment.spec.template.metadata.annotations).toEqual({
      'guardrails.cdk8s.io/probe-disabled.startup': 'starts in under a second',
    });
  });

  test('adds NET_BIND_SERVICE without a reason, and records an unsafe opt-out', () => {
    const { chart } = build({ security: { addCapabilities: ['NET_BIND_SERVICE'] } });
    expect(mainContainer(findOne(chart, 'Deployment')).securityContext.capabilities).toEqual({ drop: ['ALL'], add: ['NET_BIND_SERVICE'] });
    const unsafe = build({ security: { addCapabilities: ['NET_ADMIN'], unsafeReason: 'manages routes' } });
    expect(findOne(unsafe.chart, 'Deployment').spec.template.metadata.annotations).toEqual({ 'guardrails.cdk8s.io/unsafe-reason': 'manages routes' });
  });

  test('takes the version label from the tag, or from version for a digest', () => {
    const digest = 'myregistry.com/api@sha256:' + 'a'.repeat(64);
    const { workload } = build({ image: digest, version: 'v2.0.0' });
    expect(workload.podLabels.version).toBe('v2.0.0');
  });
});

describe('SecureDeployment rejects bad input with the path, the value and the fix', () => {
  test.each<[string, Partial<SecureDeploymentProps>, RegExp]>([
    ['an invalid name', { name: 'User_Service' }, /SecureDeployment 'test\/api': 'name' 'User_Service' is not a valid DNS-1123 label/],
    ['an invalid label value', { version: 'v1 beta' }, /label 'app.kubernetes.io\/version' has the value 'v1 beta', which is not a valid label value/],
    ['an invalid quantity', { resources: { limits: { memory: '512MB' } } }, /'limits.memory' '512MB' is not a valid Kubernetes quantity.*e.g. '512Mi'/],
    ['a limit below the request', { resources: { requests: { cpu: '500m' }, limits: { cpu: '200m' } } }, /'limits.cpu' \(200m\) must be at least 'requests.cpu' \(500m\); raise the limit or lower the request/],
    ['an ephemeral-storage limit below /tmp', { tmpSize: Size.mebibytes(512), resources: { limits: { ephemeralStorage: '256Mi' } } }, /'limits.ephemeralStorage' \(256Mi\) is below the \/tmp size \(512Mi\), so the pod would be evicted before \/tmp is full; raise the limit to at least 704Mi or lower 'tmpSize'/],
    ['an ephemeral-storage limit below its request', { resources: { requests: { ephemeralStorage: '1Gi' } } }, /'limits.ephemeralStorage' \(256Mi\) must be at least 'requests.ephemeralStorage' \(1Gi\)/],
    ['a duplicate port name', { ports: [{ name: 'http', number: 8080 }, { name: 'http', number: 8081 }] }, /port name 'http' is declared twice/],
    ['a duplicate port number', { ports: [{ name: 'http', number: 8080 }, { name: 'admin', number: 8080 }] }, /port number 8080\/TCP is declared twice \(again as 'admin'\)/],
    ['an invalid port number', { ports: [{ name: 'http', number: 70000 }] }, /port 'http' number 70000 is not a valid port number/],
    ['an invalid port name', { ports: [{ name: 'HTTP_PORT', number: 8080 }] }, /port name 'HTTP_PORT' is not a valid port name/],
    ['a probe on an undeclared port', { probes: { liveness: WorkloadProbe.http('/health', { port: 'admin' }) } }, /the liveness probe port 'admin' is not a declared port; declared: http \(8080\)/],
    ['a probe path without a slash', { probes: { readiness: WorkloadProbe.http('ready') } }, /the readiness probe path 'ready' must start with '\/'/],
    ['a liveness successThreshold above 1', { probes: { liveness: WorkloadProbe.http('/health', { successThreshold: 2 }) } }, /Kubernetes requires 1 for liveness probes/],
    ['a probe disabled without a reason', { probes: { liveness: WorkloadProbe.disabled(' ') } }, /the liveness probe is disabled without a reason/],
    ['HPA min above max', { autoscaling: { minReplicas: 5, maxReplicas: 3 } }, /'autoscaling.minReplicas' \(5\) is above 'autoscaling.maxReplicas' \(3\)/],
    ['HPA min below 1', { autoscaling: { minReplicas: 0, maxReplicas: 3 } }, /'autoscaling.minReplicas' 0 is not allowed: use a whole number of at least 1/],
    ['HPA target above 100%', { autoscaling: { minReplicas: 1, maxReplicas: 3, cpuUtilizationPercent: 150 } }, /'autoscaling.cpuUtilizationPercent' 150 is not allowed: use a whole number from 1 to 100/],
    ['replicas together with autoscaling', { replicas: 3, autoscaling: { minReplicas: 3, maxReplicas: 10 } }, /'replicas' \(3\) and 'autoscaling' are both set.*set 'autoscaling.minReplicas' instead/],
    ['negative replicas', { replicas: -1 }, /'replicas' -1 is not allowed: use a whole number of at least 0/],
    ['the latest tag', { image: 'myregistry.com/api:latest' }, /'image' 'myregistry.com\/api:latest' is not pinned: the 'latest' tag moves under running pods; use a version tag or a digest \(e.g. 'myregistry.com\/user-service:v1.2.3'\)\./],
    ['an untagged image', { image: 'myregistry.com/api' }, /'image' 'myregistry.com\/api' is not pinned: it has no tag or digest/],
    ['a malformed image', { image: 'My Registry/api:v1' }, /'image' 'My Registry\/api:v1' is not a valid image reference/],
    ['a digest without a version', { image: 'r.io/api@sha256:' + 'b'.repeat(64) }, /pinned by digest only.*set 'version'/],
    ['runAsUser 0', { security: { runAsUser: 0 } }, /'security.runAsUser: 0' \(root\) leaves the Pod Security Standards 'restricted' profile.*'security.unsafeReason'/],
    ['privileged', { security: { privileged: true } }, /'security.privileged: true' leaves the Pod Security Standards 'restricted' profile/],
    ['host network', { security: { hostNetwork: true } }, /'security.hostNetwork: true' leaves/],
    ['host PID', { security: { hostPID: true } }, /'security.hostPID: true' leaves/],
    ['host IPC', { security: { hostIPC: true } }, /'security.hostIPC: true' leaves/],
    ['a writable root filesystem', { security: { writableRootFilesystem: true } }, /'security.writableRootFilesystem: true' leaves/],
    ['a capability other than NET_BIND_SERVICE', { security: { addCapabilities: ['SYS_ADMIN'] } }, /adding the capability 'SYS_ADMIN' leaves/],
    ['a malformed capability', { security: { addCapabilities: ['cap_net_raw'] } }, /capability 'cap_net_raw' is not a Linux capability name/],
    ['a public LoadBalancer without a reason', { service: { type: 'LoadBalancer' } }, /'service.type' is 'LoadBalancer' without a 'loadBalancer' preset.*LoadBalancerPreset.awsInternalNlb\(\)/],
    ['a preset on a ClusterIP Service', { service: { loadBalancer: LoadBalancerPreset.awsInternalNlb() } }, /'service.loadBalancer' \(aws-internal-nlb\) needs 'service.type: LoadBalancer'/],
    ['a Service port that is not declared', { service: { ports: ['grpc'] } }, /'service.ports' entry 'grpc' is not a declared port/],
    ['a malformed IRSA role ARN', { serviceAccount: { awsRoleArn: 'arn:aws:iam::123:role/x' } }, /'serviceAccount.awsRoleArn' 'arn:aws:iam::123:role\/x' is not an IAM role ARN/],
    ['a malformed RRSA role name', { serviceAccount: { alibabaRamRoleName: 'bad role' } }, /'serviceAccount.alibabaRamRoleName' 'bad role' is not a RAM role name/],
    ['an invalid env name', { env: { '1BAD': WorkloadEnv.value('x') } }, /environment variable name '1BAD' is not valid/],
    ['an unknown pod field', { env: { NODE: WorkloadEnv.fromField('status.nodeIP') } }, /env 'NODE' reads the pod field 'status.nodeIP', which the downward API does not serve/],
    ['an invalid Secret name', { env: { PW: WorkloadEnv.fromSecret('Bad_Secret', 'pw') } }, /env 'PW' Secret name 'Bad_Secret' is not a valid DNS-1123 subdomain/],
    ['two mounts on one path', { secretMounts: [{ secretName: 'a', mountPath: '/etc/x' }, { secretName: 'b', mountPath: '/etc/x' }] }, /the mount path '\/etc\/x' is used by both the Secret 'a' and the Secret 'b'/],
    ['a relative mount path', { configMapMounts: [{ configMapName: 'a', mountPath: 'etc/x' }] }, /the mount path 'etc\/x' of the ConfigMap 'a' must be absolute/],
    ['a config key in data and files', { config: { data: { 'a.yaml': 'x' }, files: { 'a.yaml': 'y' } } }, /'config' key 'a.yaml' is both in 'data' and in 'files'/],
    ['an invalid config key', { config: { data: { 'a b': 'x' } } }, /'config' key 'a b' is not a valid ConfigMap key/],
    ['both PDB fields', { disruptionBudget: { maxUnavailable: 1, minAvailable: 1 } }, /'disruptionBudget' sets both 'maxUnavailable' and 'minAvailable'/],
    ['a rollout that cannot progress', { rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } }, /'rollingUpdate.maxSurge' and 'rollingUpdate.maxUnavailable' are both 0/],
    ['a malformed percentage', { rollingUpdate: { maxSurge: '150%' } }, /'rollingUpdate.maxSurge' '150%' is neither a whole number nor a percentage/],
    ['metrics on an undeclared port', { metrics: { port: 9090 } }, /metrics.port 9090 is not a declared port/],
    ['an invalid nodeSelector value', { nodeSelector: { zone: 'a b' } }, /'nodeSelector' 'zone' has the value 'a b'/],
    ['a toleration with Exists and a value', { tolerations: [{ key: 'k', operator: 'Exists', value: 'v' }] }, /has operator 'Exists' and a value/],
    ['tolerationSeconds without NoExecute', { tolerations: [{ key: 'k', tolerationSeconds: 10 }] }, /sets 'tolerationSeconds', which only applies to effect 'NoExecute'/],
    ['an empty exec probe', { probes: { readiness: WorkloadProbe.exec([]) } }, /the readiness probe command is empty/],
  ])('throws on %s', (_name, props, message) => {
    expect(errorOf(props)).toMatch(message);
  });

  test('every message names the construct path', () => {
    expect(errorOf({ replicas: -1 })).toMatch(/^SecureDeployment 'test\/api': /);
  });

  test('an unknown load balancer preset lists the known ones', () => {
    expect(() => LoadBalancerPreset.of('gcp')).toThrow("unknown preset 'gcp'; use one of 'aws-internal-nlb', 'alibaba-internal-slb'");
  });
});

describe('SecureDeployment and the Pod Security Standards', () => {
  test('the defaults pass the restricted profile', () => {
    expectRestricted(Testing.synth(build().chart));
  });

  test('every documented option still passes the restricted profile', () => {
    const { chart } = build({
      env: { A: WorkloadEnv.fromSecret('s', 'k'), B: WorkloadEnv.fromField('status.hostIP') },
      config: { data: { a: 'b' }, files: { 'app.yaml': 'x: 1' } },
      secretMounts: [{ secretName: 's', mountPath: '/etc/s' }],
      configMapMounts: [{ configMapName: 'c', mountPath: '/etc/c' }],
      security: { addCapabilities: ['NET_BIND_SERVICE'], runAsUser: 20000, runAsGroup: 20000, fsGroup: 20000 },
      autoscaling: { minReplicas: 2, maxReplicas: 4 },
      metrics: {},
    });
    expectRestricted(Testing.synth(chart));
  });

  test('an explicit unsafe opt-out is visible to the checker', () => {
    const { chart } = build({ security: { privileged: true, hostNetwork: true, unsafeReason: 'node agent' } });
    expect(() => expectRestricted(Testing.synth(chart))).toThrow(/privileged[\s\S]*hostNetwork|hostNamespaces[\s\S]*privileged/);
  });
});

describe('SecureDeployment conformance exemptions', () => {
  const REASON = 'conformance.cdk8s-guardrails.io/reason.';

  test('exempts the default uid/gid 1001 from kube-score\'s above-10000 check, with the reason beside it', () => {
    const annotations = findOne(build().chart, 'Deployment').metadata.annotations;
    expect(annotations['kube-score/ignore']).toBe('container-security-context-user-group-id');
    expect(annotations[`${REASON}container-security-context-user-group-id`]).toMatch(/^uid\/gid 1001 is the documented default/);
  });

  test('exempts nothing for a uid the user chose', () => {
    const { chart } = build({ security: { runAsUser: 1500 } });
    expect(findOne(chart, 'Deployment').metadata.annotations?.['kube-score/ignore']).toBeUndefined();
  });

  test('exempts an autoscaled Deployment without spec.replicas from Polaris\' replica check', () => {
    const { chart } = build({ autoscaling: { minReplicas: 3, maxReplicas: 6 } });
    const annotations = findOne(chart, 'Deployment').metadata.annotations;
    expect(annotations['polaris.fairwinds.com/deploymentMissingReplicas-exempt']).toBe('true');
    expect(annotations[`${REASON}deploymentMissingReplicas`]).toMatch(/HorizontalPodAutoscaler owns the replica count \(minReplicas 3\)/);
  });

  test('keeps Polaris\' replica check for an autoscaler that may scale to one pod', () => {
    const { chart } = build({ autoscaling: { minReplicas: 1, maxReplicas: 6 } });
    expect(findOne(chart, 'Deployment').metadata.annotations['polaris.fairwinds.com/deploymentMissingReplicas-exempt']).toBeUndefined();
  });
});

describe('SecureDeployment composition (issue 14)', () => {
  test('HA follows maxReplicas: an HPA from 1 to 10 keeps anti-affinity, zone spread and the PDB', () => {
    // Document 000's HPA: minReplicas 1, maxReplicas 10. All three were dropped before.
    const { chart, workload } = build({ autoscaling: { minReplicas: 1, maxReplicas: 10, memoryUtilizationPercent: false } });
    const pod = findOne(chart, 'Deployment').spec.template.spec;
    expect(workload.maxReplicas).toBe(10);
    expect(pod.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution).toEqual([
      { weight: 100, podAffinityTerm: { labelSelector: { matchLabels: { app: 'api' } }, topologyKey: 'kubernetes.io/hostname' } },
    ]);
    expect(pod.topologySpreadConstraints[0].topologyKey).toBe('topology.kubernetes.io/zone');
    expect(findAll(chart, 'PodDisruptionBudget')).toHaveLength(1);
    // CPU-only metrics, as the document's HPA.
    expect(findOne(chart, 'HorizontalPodAutoscaler').spec.metrics).toEqual([
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
    ]);
  });

  test('anti-affinity weight and topology keys are tunable and checked', () => {
    const { chart } = build({ spread: { antiAffinityWeight: 40, antiAffinityTopologyKey: 'topology.kubernetes.io/zone', zoneTopologyKey: 'topology.kubernetes.io/region' } });
    const pod = findOne(chart, 'Deployment').spec.template.spec;
    expect(pod.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0]).toMatchObject({ weight: 40, podAffinityTerm: { topologyKey: 'topology.kubernetes.io/zone' } });
    expect(pod.topologySpreadConstraints[0].topologyKey).toBe('topology.kubernetes.io/region');
    expect(errorOf({ spread: { antiAffinityWeight: 0 } })).toMatch(/'spread.antiAffinityWeight'.*0/);
    expect(errorOf({ spread: { zoneTopologyKey: 'not a key' } })).toBe("SecureDeployment 'test/api': 'spread.zoneTopologyKey' 'not a key' is not a node label key; use e.g. 'kubernetes.io/hostname' or 'topology.kubernetes.io/zone'.");
    expect(errorOf({ replicas: 1, spread: { antiAffinityWeight: 50 } })).toMatch(/'spread' options are given, but the workload runs at most 1 replica/);
  });

  test('the Service port can differ from the container port (80 -> 8080)', () => {
    const { chart } = build({ ports: [{ name: 'http', number: 8080, servicePort: 80 }] });
    expect(findOne(chart, 'Service').spec.ports).toEqual([{ name: 'http', port: 80, protocol: 'TCP', targetPort: 'http' }]);
    expect(errorOf({ ports: [{ name: 'http', number: 8080, servicePort: 70000 }] })).toMatch(/port 'http' servicePort.*70000/);
    expect(errorOf({ ports: [{ name: 'http', number: 8080, servicePort: 80 }, { name: 'web', number: 80 }] })).toMatch(/would expose 80\/TCP twice/);
  });

  test('mounts PersistentVolumeClaims and emptyDirs; emptyDirs count against ephemeral storage', () => {
    const { chart } = build({
      volumes: [
        { name: 'uploads', mountPath: '/data/uploads', persistentVolumeClaim: { claimName: 'uploads' }, readOnly: false },
        { name: 'cache', mountPath: '/var/cache/app', emptyDir: { sizeLimit: Size.mebibytes(128) } },
      ],
    });
    const deployment = findOne(chart, 'Deployment');
    expect(deployment.spec.template.spec.volumes).toContainEqual({ name: 'uploads', persistentVolumeClaim: { claimName: 'uploads', readOnly: false } });
    expect(deployment.spec.template.spec.volumes).toContainEqual({ name: 'cache', emptyDir: { sizeLimit: '128Mi' } });
    expect(mainContainer(deployment).volumeMounts).toContainEqual({ mountPath: '/data/uploads', name: 'uploads', readOnly: false });
    expect(mainContainer(deployment).resources.limits['ephemeral-storage']).toBe('384Mi');
    expect(errorOf({ volumes: [{ name: 'x', mountPath: '/tmp', emptyDir: { sizeLimit: Size.mebibytes(1) } }] })).toMatch(/mount path '\/tmp' is used by both/);
    expect(errorOf({ volumes: [{ name: 'x', mountPath: '/x' }] })).toBe("SecureDeployment 'test/api': 'volumes[0]' ('x') must give exactly one of 'persistentVolumeClaim' and 'emptyDir'.");
  });

  test('node affinity and extra pod annotations', () => {
    const { chart } = build({
      nodeAffinity: { required: { 'node.kubernetes.io/instance-type': ['ecs.g7.xlarge'] }, preferred: [{ key: 'disk', values: ['ssd'], weight: 20 }] },
      podAnnotations: { 'sidecar.istio.io/inject': 'false' },
    });
    const template = findOne(chart, 'Deployment').spec.template;
    expect(template.metadata.annotations).toEqual({ 'sidecar.istio.io/inject': 'false' });
    expect(template.spec.affinity.nodeAffinity).toEqual({
      requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'node.kubernetes.io/instance-type', operator: 'In', values: ['ecs.g7.xlarge'] }] }] },
      preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 20, preference: { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] } }],
    });
    expect(errorOf({ podAnnotations: { 'prometheus.io/scrape': 'true' } })).toMatch(/'podAnnotations' key 'prometheus.io\/scrape' is written by SecureDeployment itself/);
    expect(errorOf({ nodeAffinity: { required: { disk: [] } } })).toMatch(/'nodeAffinity.required' 'disk' has no values/);
  });

  test('pull secrets are given by name or object, merged and deduplicated', () => {
    const { chart, workload } = build({ imagePullSecrets: ['regcred'] });
    workload.addImagePullSecrets('other', 'regcred');
    expect(findOne(chart, 'Deployment').spec.template.spec.imagePullSecrets).toEqual([{ name: 'other' }, { name: 'regcred' }]);
    expect(workload.imagePullSecretNames).toEqual(['other', 'regcred']);
  });

  test('escape hatch (issue 16): later scheduling calls keep the construction-time tolerations and spread', () => {
    const { chart, workload } = build({ tolerations: [{ key: 'dedicated', value: 'api', effect: 'NoSchedule' }] });
    workload.deployment.scheduling.tolerate(kplus.Node.tainted(kplus.NodeTaintQuery.exists('gpu')));
    workload.deployment.scheduling.attract(kplus.Node.labeled(kplus.NodeLabelQuery.in('disk', ['ssd'])));
    const pod = findOne(chart, 'Deployment').spec.template.spec;
    expect(pod.tolerations).toEqual([
      { effect: 'NoSchedule', key: 'dedicated', operator: 'Equal', value: 'api' },
      { key: 'gpu', operator: 'Exists' },
    ]);
    expect(pod.affinity.podAntiAffinity).toBeDefined();
    expect(pod.affinity.nodeAffinity).toBeDefined();
  });

  test('a toleration without a key tolerates every taint, of one effect when given', () => {
    const { chart } = build({ tolerations: [{ operator: 'Exists' }, { operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 }] });
    expect(findOne(chart, 'Deployment').spec.template.spec.tolerations).toEqual([
      { operator: 'Exists' },
      { effect: 'NoExecute', key: '', operator: 'Exists', tolerationSeconds: 60 },
    ]);
  });

  test('allowFromCidr opens the callers of an internal load balancer', () => {
    const { chart, workload } = build({ service: { type: 'LoadBalancer', loadBalancer: LoadBalancerPreset.alibabaInternalSlb() } });
    workload.allowFromCidr('10.0.0.0/8', { port: 'http' });
    expect(findOne(chart, 'NetworkPolicy').spec.ingress).toEqual([{ from: [{ ipBlock: { cidr: '10.0.0.0/8' } }], ports: [{ port: 8080, protocol: 'TCP' }] }]);
    expect(() => workload.allowFromCidr('0.0.0.0/0')).toThrow(/opens 'api' to every address/);
  });
});
