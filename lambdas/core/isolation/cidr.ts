/** IPv4 and IPv6 CIDR arithmetic, enough to tell whether one block contains another. */

function ipv4ToBigInt(ip: string): bigint | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let v = 0n;
  for (const p of parts) {
    const n = Number(p);
    if (!/^\d{1,3}$/.test(p) || n > 255) return undefined;
    v = (v << 8n) | BigInt(n);
  }
  return v;
}

function ipv6ToBigInt(ip: string): bigint | undefined {
  const [head = '', tail, extra] = ip.split('::');
  if (extra !== undefined) return undefined;
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const h = groups(head);
  const t = tail === undefined ? [] : groups(tail);
  const missing = 8 - h.length - t.length;
  if (tail === undefined ? missing !== 0 : missing < 1) return undefined;
  let v = 0n;
  for (const g of [...h, ...Array<string>(missing).fill('0'), ...t]) {
    if (!/^[0-9a-f]{1,4}$/i.test(g)) return undefined;
    v = (v << 16n) | BigInt(Number.parseInt(g, 16));
  }
  return v;
}

interface Block {
  readonly v6: boolean;
  readonly base: bigint;
  readonly prefix: number;
}

export function parseCidr(cidr: string): Block | undefined {
  const [ip = '', len] = cidr.split('/');
  const v6 = ip.includes(':');
  const bits = v6 ? 128 : 32;
  const prefix = len === undefined ? bits : Number(len);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > bits) return undefined;
  const value = v6 ? ipv6ToBigInt(ip) : ipv4ToBigInt(ip);
  if (value === undefined) return undefined;
  const host = BigInt(bits - prefix);
  return { v6, base: (value >> host) << host, prefix };
}

/** True when `outer` contains every address of `inner` (same address family). */
export function cidrContains(outer: string, inner: string): boolean {
  const o = parseCidr(outer);
  const i = parseCidr(inner);
  if (o === undefined || i === undefined || o.v6 !== i.v6 || o.prefix > i.prefix) return false;
  const host = BigInt((o.v6 ? 128 : 32) - o.prefix);
  return i.base >> host === o.base >> host;
}
