import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { type Result, err, ok } from '../platform/result.js';

/**
 * Where a webhook may be sent. The URL is typed by the merchant, and the server would call it: in
 * live mode a target that is (or resolves to) a private, loopback, link-local, shared, unspecified,
 * multicast or reserved address is refused (SSRF). Test mode, and live mode with the development
 * override, may call them (a shop on a developer's machine).
 */

const blocked = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  blocked.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['2001:db8::', 32],
  ['64:ff9b::', 96],
] as const)
  blocked.addSubnet(net, bits, 'ipv6');

/** Whether an address may not be called: IPv4-mapped IPv6 (`::ffff:10.0.0.1`) is judged as its IPv4. */
export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return blocked.check(mapped[1], 'ipv4');
  const family = isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family === 6) return blocked.check(address, 'ipv6');
  return true;
}

export type TargetRefusal = { code: 'MERCHANT_API_URL_INVALID'; field: 'url'; reason: string };

export type Resolver = (host: string) => Promise<string[]>;
const systemResolver: Resolver = async (host) => (await lookup(host, { all: true })).map((entry) => entry.address);

/**
 * Checks a webhook URL before it is saved and again before each delivery (a name may change what
 * it resolves to): https only in live mode, no credentials, and every address the name resolves to
 * public unless private targets are allowed.
 */
export async function checkWebhookTarget(
  text: string,
  options: { mode: 'live' | 'test'; allowPrivate: boolean; resolve?: Resolver },
): Promise<Result<URL, TargetRefusal>> {
  const refuse = (reason: string) => err({ code: 'MERCHANT_API_URL_INVALID' as const, field: 'url' as const, reason });
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return refuse('not_a_url');
  }
  const local = options.mode === 'test' || options.allowPrivate;
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) return refuse('scheme');
  if (url.username || url.password) return refuse('credentials');
  if (local) return ok(url);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : await (options.resolve ?? systemResolver)(host);
  } catch {
    return refuse('unresolvable');
  }
  if (addresses.length === 0 || addresses.some(isPrivateAddress)) return refuse('private_address');
  return ok(url);
}
