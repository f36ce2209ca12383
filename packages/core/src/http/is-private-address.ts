import { BlockList, isIPv4, isIPv6 } from 'node:net';

/** Address ranges that are not the public internet: loopback, private, link-local, reserved… */
const nonPublic = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this" network
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, cloud metadata services
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relay
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  nonPublic.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 96], // unspecified, loopback, IPv4-compatible
  ['100::', 64], // discard
  ['2001::', 32], // Teredo
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local
  ['ff00::', 8], // multicast
] as const) {
  nonPublic.addSubnet(network, prefix, 'ipv6');
}

/** The eight 16-bit groups of an IPv6 address (which may end in dotted IPv4). */
function ipv6Groups(address: string): number[] {
  let text = address.toLowerCase();
  const zone = text.indexOf('%');
  if (zone !== -1) text = text.slice(0, zone);
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    const [a, b, c, d] = tail.split('.').map(Number) as [number, number, number, number];
    text = `${text.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', rest] = text.split('::') as [string, string | undefined];
  const parse = (part: string) =>
    part === '' ? [] : part.split(':').map((group) => Number.parseInt(group, 16));
  const front = parse(head);
  if (rest === undefined) return front;
  const back = parse(rest);
  return [...front, ...new Array<number>(8 - front.length - back.length).fill(0), ...back];
}

const ipv4From = (high: number, low: number) =>
  `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;

/**
 * Whether an IP address is outside the public internet: loopback, private (RFC 1918, unique
 * local), link-local (including cloud metadata at 169.254.169.254), carrier-grade NAT,
 * multicast, documentation and reserved ranges. IPv4 addresses embedded in IPv6 (mapped
 * `::ffff:a.b.c.d`, NAT64 `64:ff9b::/96`, 6to4 `2002::/16`) are judged by their IPv4 address.
 * Anything that is not an IP address counts as non-public.
 *
 * @param address - an IPv4 or IPv6 address, without brackets.
 */
export function isPrivateAddress(address: string): boolean {
  if (isIPv4(address)) return nonPublic.check(address, 'ipv4');
  if (!isIPv6(address)) return true;
  const groups = ipv6Groups(address);
  if (groups.length !== 8) return true;
  const embedded =
    groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff
      ? ipv4From(groups[6]!, groups[7]!)
      : groups[0] === 0x64 &&
          groups[1] === 0xff9b &&
          groups.slice(2, 6).every((group) => group === 0)
        ? ipv4From(groups[6]!, groups[7]!)
        : groups[0] === 0x2002
          ? ipv4From(groups[1]!, groups[2]!)
          : undefined;
  if (embedded !== undefined) return nonPublic.check(embedded, 'ipv4');
  return nonPublic.check(address.split('%')[0]!, 'ipv6');
}

/**
 * An address in a canonical form for comparisons (`::FFFF:7F00:1` and `::ffff:127.0.0.1` are
 * equal), or the input lower-cased when it is not an IP address.
 *
 * @param address - an IP address, with or without brackets.
 */
export function normalizeAddress(address: string): string {
  const bare = address.replace(/^\[|\]$/g, '').toLowerCase();
  if (!isIPv6(bare)) return bare;
  return ipv6Groups(bare)
    .map((group) => group.toString(16))
    .join(':');
}
