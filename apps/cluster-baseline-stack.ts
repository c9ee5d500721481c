import { Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { addApplyOrder, ClusterPolicies, PriorityClass } from '../lib';
import { production } from './config/production';
import { CloudProfile, SHOP_PRIORITY_CLASSES } from './config/shop-config';
import { addAcrCredentialHelper, addEdgeClusterBaseline } from './parts/edge';
import { addCalicoClusterBaseline } from './parts/network';
import { addPolicyPack } from './parts/policy';
import { addArgoCdApplications, GitOpsOptions } from './parts/review';
import { addStorageBaselineForCloud, StorageBaseline } from './parts/storage';
import { POSTGRES_DEFAULT_IMAGE } from '../lib/storage/postgres-database';

/** Props of {@link ClusterBaselineStack}. */
export interface ClusterBaselineStackProps extends ChartProps {
  /** The cloud the cluster runs on. */
  readonly cloud: CloudProfile;
  /** Argo CD Applications that sync each environment's folder. @default - none */
  readonly gitOps?: GitOpsOptions;
  /**
   * The namespaces of the environments deployed to this cluster: the cluster-wide objects that
   * serve them (ACK's `acr-configuration`) list them all.
   * @default - the namespaces of `gitOps.environments`
   */
  readonly environmentNamespaces?: string[];
}

/**
 * What every cluster gets once, before any application: the documented storage classes for its
 * cloud, the environments' PriorityClasses, Calico (operator Installation, BGP, cluster-wide default-deny with DNS allowed), the
 * default IngressClass, the ACME ClusterIssuer, the Gatekeeper policy pack and the Argo CD
 * Applications that deploy each environment. Cluster-scoped objects live here,
 * never in an environment's chart, so two environments never both own them.
 */
export class ClusterBaselineStack extends Chart {
  public readonly storage: StorageBaseline;
  /** The policy pack (Gatekeeper and ValidatingAdmissionPolicies); the same rules run on every bundled app before it is written. */
  public readonly policies: ClusterPolicies;

  constructor(scope: Construct, id: string, props: ClusterBaselineStackProps) {
    super(scope, id, { ...props, disableResourceNameHashes: true });
    this.storage = addStorageBaselineForCloud(this, props.cloud.cloud, { awsKmsKeyArn: props.cloud.awsKmsKeyArn });
    addEdgeClusterBaseline(this);
    for (const { name, value, description } of SHOP_PRIORITY_CLASSES) {
      new PriorityClass(this, `priority-${name}`, { name, value, description });
    }
    addCalicoClusterBaseline(this);
    this.policies = addPolicyPack(this, {
      // Kubernetes-native enforcement beside Gatekeeper, with the same rules and CEL.
      admissionPolicies: true,
      // Production pulls only images that name one build; Postgres publishes major.minor
      // (15.17) as its most specific tag, so its pinned default is listed by name.
      rules: { 'immutable-tags': { enabled: true, namespaces: [production.namespace], parameters: { images: [POSTGRES_DEFAULT_IMAGE] } } },
    });
    if (props.cloud.cloud === 'alibaba') {
      const namespaces = props.environmentNamespaces ?? props.gitOps?.environments.map((e) => e.namespace) ?? [];
      // The shop's pods run under `default` or their service's own ServiceAccount (named after it).
      const serviceAccounts = ['default', ...Object.keys(production.services).sort()];
      if (namespaces.length > 0) addAcrCredentialHelper(this, { watchNamespaces: [...new Set(namespaces)], serviceAccounts });
    }
    if (props.gitOps) addArgoCdApplications(this, props.gitOps);
    // Templates before constraints, for Argo CD (sync waves) and `kubectl apply -k` (phase label).
    addApplyOrder(this);
  }
}
