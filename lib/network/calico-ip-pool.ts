import { Construct } from 'constructs';
import * as calico from '../../imports/calico-ippools-projectcalico.org';
import { requireClusterScope } from '../common/cluster-scope';
import { fail, show } from '../common/errors';
import { validateDns1123Subdomain } from '../common/validation';
import { CalicoPoolClaim, ICalicoPoolOwner, addPoolOverlapValidation, requirePool } from './calico-pools';

/** When Calico encapsulates pod traffic of a pool (`ipipMode`/`vxlanMode`, CRD enum). */
export type CalicoEncapsulationMode = 'Never' | 'Always' | 'CrossSubnet';

const MODES: readonly string[] = ['Always', 'CrossSubnet', 'Never'];

/** Props of {@link CalicoIpPool}. */
export interface CalicoIpPoolProps {
  /** The IPPool name. @default - the construct id */
  readonly name?: string;
  /** The pool range (`10.244.0.0/16`); a network address, not link-local. */
  readonly cidr: string;
  /** Prefix length of the per-node blocks: 20-32 (IPv4) or 116-128 (IPv6). @default 26 for IPv4, 122 for IPv6 */
  readonly blockSize?: number;
  /** IP-in-IP encapsulation (IPv4 only; not together with VXLAN). @default 'Never' */
  readonly ipipMode?: CalicoEncapsulationMode;
  /** VXLAN encapsulation (not together with IP-in-IP). @default 'Never' */
  readonly vxlanMode?: CalicoEncapsulationMode;
  /** SNAT traffic from pods to destinations outside all pools. @default true */
  readonly natOutgoing?: boolean;
  /** Calico selector of the nodes that allocate from this pool. @default 'all()' */
  readonly nodeSelector?: string;
  /** Stop allocating new addresses from the pool. @default false */
  readonly disabled?: boolean;
}

/**
 * A Calico `IPPool` (`projectcalico.org/v3`): the addresses pods get. Checks the CIDR, the
 * block size against Calico's range for the family, the encapsulation modes (one at most,
 * no IP-in-IP on IPv6), and, at synth, that no other pool in the app overlaps it.
 */
export class CalicoIpPool extends Construct implements ICalicoPoolOwner {
  /** The IPPool name. */
  public readonly name: string;
  /** The CIDR. */
  public readonly cidr: string;
  /** The resolved block size. */
  public readonly blockSize: number;
  /** The pool, for the app-wide overlap check. @internal */
  public readonly calicoPools: readonly CalicoPoolClaim[];

  constructor(scope: Construct, id: string, props: CalicoIpPoolProps) {
    super(scope, id);
    requireClusterScope(this, 'IPPool');
    this.name = props.name ?? id;
    validateDns1123Subdomain(this, 'name', this.name);
    const pool = requirePool(this, 'IPPool', props.cidr, props.blockSize);
    this.cidr = props.cidr;
    this.blockSize = pool.blockSize;
    const ipipMode = props.ipipMode ?? 'Never';
    const vxlanMode = props.vxlanMode ?? 'Never';
    for (const [field, value] of [['ipipMode', ipipMode], ['vxlanMode', vxlanMode]]) {
      if (!MODES.includes(value)) {
        fail(this, `${field} ${show(value)} is not a mode Calico accepts: use one of ${MODES.map(show).join(', ')}.`);
      }
    }
    if (ipipMode !== 'Never' && vxlanMode !== 'Never') {
      fail(this, `ipipMode ${show(ipipMode)} and vxlanMode ${show(vxlanMode)} are both enabled, which Calico refuses: set one of them to 'Never'.`);
    }
    if (ipipMode !== 'Never' && pool.cidr.family === 'ipv6') {
      fail(this, `ipipMode ${show(ipipMode)} is set on the IPv6 pool ${show(props.cidr)}, but IP-in-IP only carries IPv4: use vxlanMode instead or set ipipMode to 'Never'.`);
    }
    const nodeSelector = props.nodeSelector ?? 'all()';
    if (nodeSelector.trim() === '') {
      fail(this, `nodeSelector is empty: use 'all()' for every node or a Calico selector such as 'zone == "a"'.`);
    }
    this.calicoPools = [{ label: `IPPool ${show(this.name)}`, cidr: pool.cidr }];
    addPoolOverlapValidation(this);

    new calico.IpPool(this, 'Resource', {
      metadata: { name: this.name },
      spec: {
        cidr: props.cidr,
        blockSize: pool.blockSize,
        ipipMode: ipipMode as calico.IpPoolSpecIpipMode,
        vxlanMode: vxlanMode as calico.IpPoolSpecVxlanMode,
        natOutgoing: props.natOutgoing ?? true,
        nodeSelector,
        disabled: props.disabled ?? false,
      },
    });
  }
}
