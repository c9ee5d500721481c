import { Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { ClusterPolicies } from '../lib';
import { CloudProfile } from './config/shop-config';
import { addEdgeClusterBaseline } from './parts/edge';
import { addCalicoClusterBaseline } from './parts/network';
import { addPolicyPack } from './parts/policy';
import { addArgoCdApplications, GitOpsOptions } from './parts/review';
import { addStorageBaselineForCloud, StorageBaseline } from './parts/storage';

/** Props of {@link ClusterBaselineStack}. */
export interface ClusterBaselineStackProps extends ChartProps {
  /** The cloud the cluster runs on. */
  readonly cloud: CloudProfile;
  /** Argo CD Applications that sync each environment's folder. @default - none */
  readonly gitOps?: GitOpsOptions;
}

/**
 * What every cluster gets once, before any application: the documented storage classes for its
 * cloud, Calico (operator Installation, BGP, cluster-wide default-deny with DNS allowed), the
 * default IngressClass, the ACME ClusterIssuer, the Gatekeeper policy pack and the Argo CD
 * Applications that deploy each environment. Cluster-scoped objects live here,
 * never in an environment's chart, so two environments never both own them.
 */
export class ClusterBaselineStack extends Chart {
  public readonly storage: StorageBaseline;
  /** The Gatekeeper policy pack; the same rules run on every bundled app before it is written. */
  public readonly policies: ClusterPolicies;

  constructor(scope: Construct, id: string, props: ClusterBaselineStackProps) {
    super(scope, id, { ...props, disableResourceNameHashes: true });
    this.storage = addStorageBaselineForCloud(this, props.cloud.cloud, { awsKmsKeyArn: props.cloud.awsKmsKeyArn });
    addEdgeClusterBaseline(this);
    addCalicoClusterBaseline(this);
    this.policies = addPolicyPack(this);
    if (props.gitOps) addArgoCdApplications(this, props.gitOps);
  }
}
