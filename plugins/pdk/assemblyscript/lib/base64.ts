// Standard base64 with `=` padding, the encoding Go's encoding/json uses for `[]byte` (contract §2.12).

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

export function encodeBase64(bytes: Uint8Array): string {
  const parts = new Array<string>(0);
  const n = bytes.length;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = (<u32>bytes[i] << 16) | (<u32>bytes[i + 1] << 8) | <u32>bytes[i + 2];
    parts.push(ALPHABET.charAt((v >> 18) & 63) + ALPHABET.charAt((v >> 12) & 63) + ALPHABET.charAt((v >> 6) & 63) + ALPHABET.charAt(v & 63));
  }
  if (n - i == 1) {
    const v = <u32>bytes[i] << 16;
    parts.push(ALPHABET.charAt((v >> 18) & 63) + ALPHABET.charAt((v >> 12) & 63) + "==");
  } else if (n - i == 2) {
    const v = (<u32>bytes[i] << 16) | (<u32>bytes[i + 1] << 8);
    parts.push(ALPHABET.charAt((v >> 18) & 63) + ALPHABET.charAt((v >> 12) & 63) + ALPHABET.charAt((v >> 6) & 63) + "=");
  }
  return parts.join("");
}

function sextet(c: i32): i32 {
  if (c >= 0x41 && c <= 0x5a) return c - 0x41;
  if (c >= 0x61 && c <= 0x7a) return c - 0x61 + 26;
  if (c >= 0x30 && c <= 0x39) return c - 0x30 + 52;
  if (c == 0x2b || c == 0x2d) return 62; // also accepts the URL-safe alphabet
  if (c == 0x2f || c == 0x5f) return 63;
  return -1;
}

/** Decodes base64 (padding optional); characters outside the alphabet are skipped. */
export function decodeBase64(text: string): Uint8Array {
  const out = new Uint8Array((text.length * 3) / 4 + 3);
  let acc: u32 = 0;
  let bits = 0;
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const v = sextet(text.charCodeAt(i));
    if (v < 0) continue;
    acc = (acc << 6) | <u32>v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[n++] = <u8>((acc >> bits) & 0xff);
    }
  }
  return out.slice(0, n);
}
