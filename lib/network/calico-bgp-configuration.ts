import { Construct } from 'constructs';
import * as calico from '../../imports/calico-bgpconfigurations-projectcalico.org';
import { requireClusterScope } from '../common/cluster-scope';
import { fail, show } from '../common/errors';
import { validateDns1123Subdomain } from '../common/validation';

/** BGP log levels Calico accepts (CRD pattern of `logSeverityScreen`). */
export type CalicoLogSeverity = 'Trace' | 'Debug' | 'Info' | 'Warning' | 'Error' | 'Fatal';

const SEVERITIES: readonly string[] = ['Trace', 'Debug', 'Info', 'Warning', 'Error', 'Fatal'];

/** The largest 4-byte AS number (RFC 6793). */
export const MAX_AS_NUMBER = 4294967295;

/** Props of {@link CalicoBgpConfiguration}. */
export interface CalicoBgpConfigurationProps {
  /** The BGPConfiguration name; `default` is the cluster-wide one. @default 'default' */
  readonly name?: string;
  /** The cluster's AS number, 1-4294967295. @default 64512 (Calico's default, a private AS) */
  readonly asNumber?: number;
  /** Full BGP mesh between nodes; turn off when peering with route reflectors. @default true */
  readonly nodeToNodeMeshEnabled?: boolean;
  /** BIRD log level. @default 'Info' */
  readonly logSeverityScreen?: CalicoLogSeverity;
}

/** A Calico `BGPConfiguration` (`projectcalico.org/v3`, cluster-scoped). */
export class CalicoBgpConfiguration extends Construct {
  /** The resolved AS number. */
  public readonly asNumber: number;

  constructor(scope: Construct, id: string, props: CalicoBgpConfigurationProps = {}) {
    super(scope, id);
    requireClusterScope(this, 'BGPConfiguration');
    const name = props.name ?? 'default';
    validateDns1123Subdomain(this, 'name', name);
    this.asNumber = props.asNumber ?? 64512;
    if (!Number.isInteger(this.asNumber) || this.asNumber < 1 || this.asNumber > MAX_AS_NUMBER) {
      fail(this, `asNumber ${show(this.asNumber)} is not a BGP AS number: use a whole number from 1 to ${MAX_AS_NUMBER} (private ranges: 64512-65534, 4200000000-4294967294).`);
    }
    const severity = props.logSeverityScreen ?? 'Info';
    if (!SEVERITIES.includes(severity)) {
      fail(this, `logSeverityScreen ${show(severity)} is not a level Calico accepts: use one of ${SEVERITIES.map(show).join(', ')}.`);
    }
    new calico.BgpConfiguration(this, 'Resource', {
      metadata: { name },
      spec: {
        asNumber: this.asNumber,
        nodeToNodeMeshEnabled: props.nodeToNodeMeshEnabled ?? true,
        logSeverityScreen: severity,
      },
    });
  }
}
