import { Testing } from 'cdk8s';
import { ArgoCdApplication, ArgoCdApplicationProps } from '../../lib/synth';

const base: ArgoCdApplicationProps = {
  repoUrl: 'https://git.example.com/shop/deploy.git',
  path: 'dist/production',
  destinationNamespace: 'production',
};

function synthApp(props: Partial<ArgoCdApplicationProps> = {}, id = 'shop-production') {
  const chart = Testing.chart();
  new ArgoCdApplication(chart, id, { ...base, ...props });
  const objects = Testing.synth(chart);
  expect(objects).toHaveLength(1);
  return objects[0];
}

function build(props: Partial<ArgoCdApplicationProps>) {
  return () => new ArgoCdApplication(Testing.chart(), 'app', { ...base, ...props });
}

describe('ArgoCdApplication', () => {
  test('renders an Application with automated prune/self-heal and server-side apply by default', () => {
    expect(synthApp()).toEqual({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'shop-production', namespace: 'argocd' },
      spec: {
        project: 'default',
        source: { repoURL: 'https://git.example.com/shop/deploy.git', targetRevision: 'HEAD', path: 'dist/production' },
        destination: { server: 'https://kubernetes.default.svc', namespace: 'production' },
        syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['CreateNamespace=false', 'ServerSideApply=true'] },
      },
    });
  });

  test('takes name, namespace, project, revision, server and extra sync options', () => {
    const app = synthApp({
      name: 'shop-eu', namespace: 'gitops', project: 'shop', targetRevision: 'v1.2.3',
      destinationServer: 'https://10.0.0.1:6443', extraSyncOptions: ['PruneLast=true'], path: './dist/production/',
    });
    expect(app.metadata).toEqual({ name: 'shop-eu', namespace: 'gitops' });
    expect(app.spec.project).toBe('shop');
    expect(app.spec.source).toEqual({ repoURL: base.repoUrl, targetRevision: 'v1.2.3', path: 'dist/production' });
    expect(app.spec.destination.server).toBe('https://10.0.0.1:6443');
    expect(app.spec.syncPolicy.syncOptions).toEqual(['CreateNamespace=false', 'PruneLast=true', 'ServerSideApply=true']);
  });

  test('can leave syncing to a person, and turn the sync options around', () => {
    const app = synthApp({ automatedSync: false, serverSideApply: false, createNamespace: true });
    expect(app.spec.syncPolicy).toEqual({ syncOptions: ['CreateNamespace=true', 'ServerSideApply=false'] });
  });

  test.each(['git@github.com:shop/deploy.git', 'ssh://git@git.example.com/shop/deploy.git', 'https://git.example.com:8443/shop/deploy'])('accepts the repository URL %s', (repoUrl) => {
    expect(synthApp({ repoUrl }).spec.source.repoURL).toBe(repoUrl);
  });

  test.each([
    ['not a url', /repoUrl 'not a url' is not a Git URL: use https:\/\/host\/org\/repo\.git/],
    ['http://git.example.com/shop/deploy.git', /repoUrl 'http:\/\/git\.example\.com\/shop\/deploy\.git' uses 'http:', which is not allowed/],
    ['https://bot:s3cret@git.example.com/shop/deploy.git', /repoUrl 'https:\/\/\*\*\*@git\.example\.com\/shop\/deploy\.git' embeds credentials/],
    ['https://git.example.com', /repoUrl 'https:\/\/git\.example\.com' names no host or repository/],
  ])('refuses the repository URL %s', (repoUrl, message) => {
    expect(build({ repoUrl })).toThrow(message);
  });

  test('never repeats embedded credentials in its error', () => {
    expect(build({ repoUrl: 'https://bot:s3cret@git.example.com/x.git' })).not.toThrow(/s3cret/);
  });

  test.each(['/dist/production', '../other/dist', 'dist/../secrets', 'dist//production', '', 'dist\\production'])('refuses the path %j', (path) => {
    expect(build({ path })).toThrow(/ArgoCdApplication '.*app': path .* is not a relative folder of the repository: use a path like 'dist\/production', without a leading '\/', '\.\.' or empty segments\./);
  });

  test('refuses a plain-http or malformed destination server', () => {
    expect(build({ destinationServer: 'http://10.0.0.1:6443' })).toThrow(/destinationServer 'http:\/\/10\.0\.0\.1:6443' is not an https API server URL/);
    expect(build({ destinationServer: 'cluster-a' })).toThrow(/destinationServer 'cluster-a' is not an https API server URL/);
  });

  test('refuses bad names, namespaces, projects and revisions', () => {
    expect(build({ name: 'Shop_App' })).toThrow(/name 'Shop_App' is not a valid DNS-1123 label/);
    expect(build({ destinationNamespace: 'Production' })).toThrow(/destinationNamespace 'Production' is not a valid DNS-1123 label/);
    expect(build({ namespace: '' })).toThrow(/namespace '' is not a valid DNS-1123 label/);
    expect(build({ project: 'My Project' })).toThrow(/project 'My Project' is not a valid DNS-1123 subdomain/);
    expect(build({ targetRevision: 'main branch' })).toThrow(/targetRevision 'main branch' is not a Git revision/);
  });

  test('refuses prune/selfHeal without automated sync', () => {
    expect(build({ automatedSync: false, prune: false })).toThrow(/prune and selfHeal apply only to automated sync, which is off/);
  });

  test('refuses malformed or conflicting extra sync options', () => {
    expect(build({ extraSyncOptions: ['PruneLast'] })).toThrow(/extraSyncOptions entry 'PruneLast' is not a sync option: use 'Key=value'/);
    expect(build({ extraSyncOptions: ['ServerSideApply=false'] })).toThrow(/extraSyncOptions sets 'ServerSideApply' more than once or overrides a prop: set serverSideApply instead/);
    expect(build({ extraSyncOptions: ['PruneLast=true', 'PruneLast=false'] })).toThrow(/sets 'PruneLast' more than once/);
  });
});
