import { Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { cidrContains, cidrContainsAddress, cidrsOverlap, requireCidr, tryParseCidr } from '../../lib/network/cidr';

function ipv4(n: number): string {
  return [24, 16, 8, 0].map((shift) => (n >>> shift) & 255).join('.');
}

function network(n: number, prefix: number): number {
  return prefix === 0 ? 0 : (n >>> (32 - prefix)) << (32 - prefix) >>> 0;
}

const block = fc.record({ address: fc.nat({ max: 2 ** 32 - 1 }), prefix: fc.integer({ min: 0, max: 32 }) })
  .map(({ address, prefix }) => ({ address: network(address, prefix), prefix }));

describe('CIDR helpers', () => {
  test('property: containment matches prefix arithmetic', () => {
    fc.assert(fc.property(block, block, (a, b) => {
      const outer = tryParseCidr(`${ipv4(a.address)}/${a.prefix}`)!;
      const inner = tryParseCidr(`${ipv4(b.address)}/${b.prefix}`)!;
      const expected = b.prefix >= a.prefix && network(b.address, a.prefix) === a.address;
      expect(cidrContains(outer, inner)).toBe(expected);
      expect(cidrsOverlap(outer, inner)).toBe(cidrsOverlap(inner, outer));
      expect(cidrsOverlap(outer, inner)).toBe(expected || (a.prefix >= b.prefix && network(a.address, b.prefix) === b.address));
    }), { numRuns: 300 });
  });

  test('property: requireCidr accepts network addresses and names the fix for the others', () => {
    fc.assert(fc.property(fc.nat({ max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 32 }), (address, prefix) => {
      const text = `${ipv4(address)}/${prefix}`;
      const fixed = `${ipv4(network(address, prefix))}/${prefix}`;
      const chart = Testing.chart();
      if (text === fixed) {
        expect(requireCidr(chart, 'cidr', text).prefixLength).toBe(prefix);
      } else {
        expect(() => requireCidr(chart, 'cidr', text)).toThrow(`write the network address of the block, '${fixed}'`);
        expect(requireCidr(chart, 'cidr', fixed).text).toBe(fixed);
      }
    }), { numRuns: 200 });
  });

  test('families never contain each other', () => {
    expect(cidrsOverlap(tryParseCidr('0.0.0.0/0')!, tryParseCidr('::/0')!)).toBe(false);
    expect(cidrContainsAddress(tryParseCidr('::/0')!, '10.0.0.1')).toBe(false);
    expect(cidrContainsAddress(tryParseCidr('10.0.0.0/8')!, 'not-an-ip')).toBe(false);
  });

  test.each(['10.0.0.0', '10.0.0/8', '0x0a.0.0.0/8', '10.0.0.0/8/1', 'fd00::/129', ':::/64', '10.0.0.0/-1', ''])('%j is not a CIDR', (text) => {
    expect(tryParseCidr(text)).toBeUndefined();
  });
});
