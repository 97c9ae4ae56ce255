import "server-only";
import { BlockList, isIP } from "node:net";
import { settings } from "../server/settings";

/**
 * The address a request came from, for rate limiting and logs.
 *
 * Route handlers cannot see the socket, and Next.js passes a client-sent
 * `X-Forwarded-For` through untouched (it only fills it in when absent), so that header
 * says whatever the client wants. `npm start` therefore runs scripts/server.mjs, which
 * overwrites {@link PEER_HEADER} with the socket address on every request (dropping any
 * value the client sent) and sets the process-wide {@link PEER_FLAG}. Only then is the
 * header believed. Forwarding headers are believed only when that peer is one of the
 * `ReverseProxyWhitelist` proxies.
 *
 * Without the custom server (`next dev`, a bare `next start`) the address is unknown and
 * every request maps to {@link UNKNOWN_ADDRESS}: safe (nothing a client sends is
 * trusted), at the cost of per-address limits acting as one shared bucket.
 */

/** Header the custom server sets from `req.socket.remoteAddress`. */
export const PEER_HEADER = "x-tessitura-peer";
/** `globalThis[PEER_FLAG] === true` when scripts/server.mjs stamps {@link PEER_HEADER}. */
export const PEER_FLAG = Symbol.for("tessitura.peerHeader");
export const UNKNOWN_ADDRESS = "unknown";

/** True when the custom server stamps the peer header (see scripts/server.mjs). */
export function peerHeaderInPlace(): boolean {
  return (globalThis as Record<symbol, unknown>)[PEER_FLAG] === true;
}

/** `::ffff:10.0.0.1` → `10.0.0.1`; anything that is not an IP address → null. */
export function normalizeAddress(raw: string | null | undefined): string | null {
  let a = (raw ?? "").trim();
  if (a.startsWith("[") && a.includes("]")) a = a.slice(1, a.indexOf("]"));
  if (/^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(a)) a = a.slice(7);
  return isIP(a) ? a.toLowerCase() : null;
}

/** Parses `ReverseProxyWhitelist` (comma-separated IPs and CIDRs; validated by lib/config). */
export function parseProxyList(list: string): BlockList {
  const block = new BlockList();
  for (const entry of list.split(",").map((e) => e.trim()).filter(Boolean)) {
    const [ip, bits] = entry.split("/");
    const family = isIP(ip) === 6 ? "ipv6" : "ipv4";
    if (bits === undefined) block.addAddress(ip, family);
    else block.addSubnet(ip, Number(bits), family);
  }
  return block;
}

/**
 * Verdicts of `proxies.check` by list and address: the check costs ~1.5 µs, a sizeable part of
 * an authenticated `ping` (issue #18), and a server sees few peers. A list is never changed
 * after parsing (a new whitelist is a new BlockList), so a verdict stays true for its list.
 */
const verdicts = new WeakMap<BlockList, Map<string, boolean>>();
const MAX_VERDICTS = 4096;
function isTrusted(proxies: BlockList, addr: string): boolean {
  let memo = verdicts.get(proxies);
  if (!memo) verdicts.set(proxies, (memo = new Map()));
  let v = memo.get(addr);
  if (v === undefined) {
    v = proxies.check(addr, isIP(addr) === 6 ? "ipv6" : "ipv4");
    if (memo.size >= MAX_VERDICTS) memo.clear();
    memo.set(addr, v);
  }
  return v;
}

let cached: { list: string; proxies: BlockList } | null = null;
function configuredProxies(): BlockList {
  const list = settings().ReverseProxyWhitelist;
  if (cached?.list !== list) cached = { list, proxies: parseProxyList(list) };
  return cached.proxies;
}

/**
 * The client address of `req`: the socket peer, or, when that peer is a trusted proxy,
 * the right-most `X-Forwarded-For` entry that is not itself a trusted proxy (entries
 * further left were written by the client and prove nothing), else `X-Real-IP`.
 */
export function clientAddress(req: Request, proxies: BlockList = configuredProxies()): string {
  if (!peerHeaderInPlace()) return UNKNOWN_ADDRESS;
  const peer = normalizeAddress(req.headers.get(PEER_HEADER));
  if (!peer) return UNKNOWN_ADDRESS;
  if (!isTrusted(proxies, peer)) return peer;
  const hops = (req.headers.get("x-forwarded-for") ?? "").split(",").map(normalizeAddress);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i];
    if (!hop) break; // a malformed entry: stop rather than believe what lies left of it
    if (!isTrusted(proxies, hop)) return hop;
  }
  return normalizeAddress(req.headers.get("x-real-ip")) ?? peer;
}

/** True when the request came through a trusted proxy (so its `X-Forwarded-Proto` is believed). */
export function viaTrustedProxy(req: Request, proxies: BlockList = configuredProxies()): boolean {
  const peer = peerHeaderInPlace() ? normalizeAddress(req.headers.get(PEER_HEADER)) : null;
  return peer !== null && isTrusted(proxies, peer);
}
