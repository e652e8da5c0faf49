/**
 * IPv4 and IPv6 addresses and CIDR blocks for the IpAddress/NotIpAddress condition operators. A policy
 * value without a prefix length is a single address (/32, /128). An IPv4 address never falls in an IPv6
 * block and vice versa.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IPAddress
 */
export interface Address {
  readonly v6: boolean;
  readonly value: bigint;
}
export interface Cidr {
  readonly v6: boolean;
  readonly network: bigint;
  readonly mask: bigint;
}

function parseV4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    value = (value << 8n) | BigInt(n);
  }
  return value;
}

function parseV6(text: string): bigint | undefined {
  let head = text;
  let tailV4: bigint | undefined;
  // An embedded IPv4 tail (::ffff:192.0.2.1) fills the last two groups.
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.')) {
    tailV4 = parseV4(text.slice(lastColon + 1));
    if (tailV4 === undefined) return undefined;
    head = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string | undefined): string[] => (s === undefined || s === '' ? [] : s.split(':'));
  const left = groups(halves[0]);
  const right = groups(halves[1]);
  const missing = 8 - left.length - right.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const all = [...left, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...right];
  let value = 0n;
  for (const g of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    value = (value << 16n) | BigInt(Number.parseInt(g, 16));
  }
  if (tailV4 !== undefined) value = (value & ~0xffffffffn) | tailV4;
  return value;
}

/** An IPv4 or IPv6 address, or undefined when the text is neither. */
export function parseAddress(text: string): Address | undefined {
  const trimmed = text.trim();
  if (trimmed.includes(':')) {
    const value = parseV6(trimmed);
    return value === undefined ? undefined : { v6: true, value };
  }
  const value = parseV4(trimmed);
  return value === undefined ? undefined : { v6: false, value };
}

const cidrCache = new Map<string, Cidr | null>();

/** A CIDR block (cached: policies repeat theirs for every request), or undefined when malformed. */
export function parseCidr(text: string): Cidr | undefined {
  const cached = cidrCache.get(text);
  if (cached !== undefined) return cached ?? undefined;
  const [addr, prefix, extra] = text.split('/');
  const address = addr === undefined || extra !== undefined ? undefined : parseAddress(addr);
  const bits = address?.v6 ? 128 : 32;
  const len = prefix === undefined ? bits : /^\d{1,3}$/.test(prefix) ? Number(prefix) : -1;
  let result: Cidr | null = null;
  if (address !== undefined && len >= 0 && len <= bits) {
    const all = (1n << BigInt(bits)) - 1n;
    const mask = all ^ ((1n << BigInt(bits - len)) - 1n);
    result = { v6: address.v6, network: address.value & mask, mask };
  }
  if (cidrCache.size > 10_000) cidrCache.clear();
  cidrCache.set(text, result);
  return result ?? undefined;
}

/** `address` lies in `cidr` (same family only). */
export function inCidr(address: Address, cidr: Cidr): boolean {
  return address.v6 === cidr.v6 && (address.value & cidr.mask) === cidr.network;
}
