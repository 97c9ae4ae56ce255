import { isIP } from "node:net";

/**
 * IP addresses as the network policy sees them: one strict parser (what sockets accept,
 * never the URL parser's lenient `0x7f.1`/`2130706433` spellings, which the WHATWG URL
 * parser has already turned into dotted quads by the time an address gets here) and one
 * "is this on the public internet" rule shared by every outbound path.
 */

/** The 4 (IPv4) or 16 (IPv6) bytes of a strict IP literal; null for anything else (zone IDs included). */
export function ipBytes(ip: string): number[] | null {
  const version = isIP(ip);
  if (version === 4) return ip.split(".").map(Number);
  if (version !== 6 || ip.includes("%")) return null;
  let text = ip;
  const v4 = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) text = `${v4[1]}0:0`;
  const groups = (s: string) => (s === "" ? [] : s.split(":").map((w) => parseInt(w, 16)));
  const [head, tail] = text.split("::");
  const h = groups(head);
  const t = tail === undefined ? [] : groups(tail);
  const words = [...h, ...Array(Math.max(0, 8 - h.length - t.length)).fill(0), ...t];
  const bytes = words.flatMap((w) => [w >> 8, w & 0xff]);
  if (v4) bytes.splice(12, 4, ...v4[2].split(".").map(Number));
  return bytes;
}

/**
 * The one spelling of an IP literal (`127.0.0.1`, `::ffff:7f00:1`, `::1`), as the WHATWG
 * URL parser writes hosts, so allow-list entries are matched against a single form.
 * Null when `ip` is not a strict IP literal.
 */
export function canonicalIp(ip: string): string | null {
  const b = ipBytes(ip);
  if (!b) return null;
  if (b.length === 4) return b.join(".");
  return new URL(`http://[${ip}]/`).hostname.slice(1, -1);
}

const inV4 = (b: number[], net: number[], bits: number): boolean => {
  for (let i = 0; i < 4; i++) {
    const take = Math.max(0, Math.min(8, bits - i * 8));
    const mask = take === 0 ? 0 : (0xff << (8 - take)) & 0xff;
    if ((b[i] & mask) !== (net[i] & mask)) return false;
  }
  return true;
};

/** IPv4 blocks that are not globally reachable (IANA special-purpose registry), or mean "this host". */
const V4_NOT_PUBLIC: [number[], number][] = [
  [[0, 0, 0, 0], 8], // "this network"; 0.0.0.0 connects to the local host
  [[10, 0, 0, 0], 8],
  [[100, 64, 0, 0], 10], // carrier-grade NAT
  [[127, 0, 0, 0], 8],
  [[169, 254, 0, 0], 16], // link-local, cloud metadata
  [[172, 16, 0, 0], 12],
  [[192, 0, 0, 0], 24],
  [[192, 0, 2, 0], 24],
  [[192, 88, 99, 0], 24],
  [[192, 168, 0, 0], 16],
  [[198, 18, 0, 0], 15],
  [[198, 51, 100, 0], 24],
  [[203, 0, 113, 0], 24],
  [[224, 0, 0, 0], 4], // multicast
  [[240, 0, 0, 0], 4], // reserved, broadcast
];

function isPublicV4(b: number[]): boolean {
  return !V4_NOT_PUBLIC.some(([net, bits]) => inV4(b, net, bits));
}

const zeros = (b: number[], from: number, to: number) => b.slice(from, to).every((x) => x === 0);

/**
 * True when `ip` is a strict IP literal on the public internet. Loopback, private,
 * carrier-grade NAT, link-local, unspecified (`0.0.0.0`, `::`), multicast, reserved and
 * documentation ranges are not; IPv6 forms that carry an IPv4 address (mapped
 * `::ffff:a.b.c.d`, compatible `::a.b.c.d`, NAT64 `64:ff9b::/96`, 6to4 `2002::/16`) are
 * judged by that address, and Teredo, ULA, site-local and discard prefixes are not public.
 * Anything that is not an IP literal is not public either.
 */
export function isPublicAddress(ip: string): boolean {
  const b = ipBytes(ip);
  if (!b) return false;
  if (b.length === 4) return isPublicV4(b);
  if (zeros(b, 0, 10) && b[10] === 0xff && b[11] === 0xff) return isPublicV4(b.slice(12)); // IPv4-mapped
  if (zeros(b, 0, 12)) return false; // ::, ::1 and the deprecated IPv4-compatible ::a.b.c.d
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b) return zeros(b, 4, 12) && isPublicV4(b.slice(12)); // NAT64
  if (b[0] === 0x20 && b[1] === 0x02) return isPublicV4(b.slice(2, 6)); // 6to4
  if (b[0] === 0x20 && b[1] === 0x01 && zeros(b, 2, 4)) return false; // Teredo
  if (b[0] === 0x20 && b[1] === 0x01 && b[2] === 0x0d && b[3] === 0xb8) return false; // documentation
  if (b[0] === 0x01 && zeros(b, 1, 8)) return false; // discard 100::/64
  if ((b[0] & 0xfe) === 0xfc) return false; // unique local
  if (b[0] === 0xfe && (b[1] & 0xc0) >= 0x80) return false; // link-local fe80::/10, site-local fec0::/10
  if (b[0] === 0xff) return false; // multicast
  return true;
}
