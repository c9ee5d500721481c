import { IConstruct } from 'constructs';
import { fail, show } from '../common/errors';
import { Cidr, cidrsOverlap, requireCidr, tryParseCidr } from './cidr';

/** Block sizes Calico accepts (docs: IPPool reference): 20-32 for IPv4, 116-128 for IPv6. */
export const CALICO_BLOCK_SIZE_RANGE = { ipv4: { min: 20, max: 32, default: 26 }, ipv6: { min: 116, max: 128, default: 122 } } as const;

const LINK_LOCAL = [tryParseCidr('169.254.0.0/16')!, tryParseCidr('fe80::/10')!];

/** One pool CIDR a construct asks Calico for. @internal */
export interface CalicoPoolClaim {
  /** How to name the pool in a message (`IPPool 'pool-a'`). */
  readonly label: string;
  /** The parsed CIDR. */
  readonly cidr: Cidr;
}

/** A construct that creates Calico IP pools (IPPool objects or Installation pools). @internal */
export interface ICalicoPoolOwner extends IConstruct {
  /** The pools this construct creates. */
  readonly calicoPools: readonly CalicoPoolClaim[];
}

function isPoolOwner(construct: IConstruct): construct is ICalicoPoolOwner {
  return Array.isArray((construct as Partial<ICalicoPoolOwner>).calicoPools);
}

/**
 * Parses a pool CIDR and resolves its block size, checking what Calico checks: a network
 * address, not link-local, a block size in Calico's range for the family, and a pool at least
 * one block large.
 */
export function requirePool(scope: IConstruct, what: string, cidrText: string, blockSize: number | undefined): { cidr: Cidr; blockSize: number } {
  const cidr = requireCidr(scope, `${what} cidr`, cidrText);
  for (const linkLocal of LINK_LOCAL) {
    if (cidrsOverlap(cidr, linkLocal)) {
      fail(scope, `${what} cidr ${show(cidrText)} overlaps the link-local range ${show(linkLocal.text)}, which Calico refuses: choose a private range such as '10.244.0.0/16'.`);
    }
  }
  const range = CALICO_BLOCK_SIZE_RANGE[cidr.family];
  const size = blockSize ?? range.default;
  if (!Number.isInteger(size) || size < range.min || size > range.max) {
    fail(scope, `${what} blockSize ${show(size)} is outside what Calico accepts for ${cidr.family === 'ipv4' ? 'IPv4' : 'IPv6'} pools: use a whole number from ${range.min} to ${range.max} (default ${range.default}).`);
  }
  if (size < cidr.prefixLength) {
    fail(scope, `${what} cidr ${show(cidrText)} is smaller than one block of /${size}: use a pool of at most /${size} or a larger blockSize.`);
  }
  return { cidr, blockSize: size };
}

/** Throws when two claims of one construct overlap. */
export function requireDisjoint(scope: IConstruct, claims: readonly CalicoPoolClaim[]): void {
  for (let i = 0; i < claims.length; i++) {
    for (let j = i + 1; j < claims.length; j++) {
      if (cidrsOverlap(claims[i].cidr, claims[j].cidr)) {
        fail(scope, `${claims[i].label} (${claims[i].cidr.text}) overlaps ${claims[j].label} (${claims[j].cidr.text}): Calico IP pools must not overlap; give each pool its own range.`);
      }
    }
  }
}

/**
 * Adds a validation to `owner` that fails synthesis when one of its pools overlaps a pool of
 * another pool owner in the same app (reported once, on the owner whose path sorts first).
 */
export function addPoolOverlapValidation(owner: ICalicoPoolOwner): void {
  owner.node.addValidation({
    validate: () => {
      const errors: string[] = [];
      const others = owner.node.root.node.findAll().filter(isPoolOwner)
        .filter((o) => o !== owner && o.node.path > owner.node.path);
      for (const other of others) {
        for (const mine of owner.calicoPools) {
          for (const theirs of other.calicoPools) {
            if (cidrsOverlap(mine.cidr, theirs.cidr)) {
              errors.push(`${mine.label} (${mine.cidr.text}) overlaps ${theirs.label} (${theirs.cidr.text}) of '${other.node.path}': Calico IP pools in one cluster must not overlap; give each pool its own range.`);
            }
          }
        }
      }
      return errors;
    },
  });
}
