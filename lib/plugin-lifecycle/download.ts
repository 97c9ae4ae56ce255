import "server-only";
import { createHash } from "node:crypto";
import { rmSync } from "node:fs";
import { open } from "node:fs/promises";
import http from "node:http";
import https from "node:https";
import { isPublicAddress } from "../net/address";
import { bareHostname } from "../net/policy";
import { pinnedLookup, resolveAllowedAddress, systemLookup, type Lookup } from "../net/resolve";

export interface DownloadOptions {
  /** Bytes the file may have: the catalog's declared size. One byte more ends the download. */
  maxBytes: number;
  /** Loopback/private addresses allowed (`Plugins.AllowPrivateRepositories`). */
  allowPrivate: boolean;
  timeoutMs?: number;
  lookup?: Lookup;
}

export interface Downloaded {
  size: number;
  sha256: string;
}

/** Why a download failed: the message is shown to the admin as it is. */
export class DownloadError extends Error {
  name = "DownloadError";
}

const MAX_REDIRECTS = 5;
const DEFAULT_TIMEOUT_MS = 120_000;

/**
 * Streams `url` into `dest`, hashing as it goes, with the server's outbound rules (lib/net):
 * only http(s); each hop's host resolved once, every address checked (public only unless
 * `allowPrivate`), and the socket pinned to the checked address, so neither a DNS answer
 * nor a redirect can move the download onto the local network. The body may not exceed
 * `maxBytes`: a package larger than declared is cut off and refused, never stored whole.
 */
export async function downloadToFile(url: string, dest: string, opts: DownloadOptions): Promise<Downloaded> {
  const signal = AbortSignal.timeout(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  let current = url;
  for (let redirects = 0; ; redirects++) {
    const res = await request(current, opts, signal);
    const status = res.statusCode ?? 0;
    if ([301, 302, 303, 307, 308].includes(status) && res.headers.location) {
      res.resume();
      if (redirects >= MAX_REDIRECTS) throw new DownloadError(`downloading ${url}: too many redirects`);
      current = new URL(res.headers.location, current).href;
      continue;
    }
    if (status !== 200) {
      res.resume();
      throw new DownloadError(`downloading ${current}: HTTP ${status}`);
    }
    return save(res, dest, opts.maxBytes, signal, current);
  }
}

async function request(raw: string, opts: DownloadOptions, signal: AbortSignal): Promise<http.IncomingMessage> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new DownloadError(`invalid package URL ${JSON.stringify(raw)}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new DownloadError(`downloading ${raw}: only http and https URLs are allowed`);
  const hostname = bareHostname(url);
  let address: string;
  try {
    address = await resolveAllowedAddress(hostname, opts.lookup ?? systemLookup, (a) => opts.allowPrivate || isPublicAddress(a));
  } catch (err) {
    const hint = opts.allowPrivate ? "" : " (private and loopback addresses need Plugins.AllowPrivateRepositories)";
    throw new DownloadError(`downloading ${raw}: ${(err as Error).message}${(err as Error).name === "AddressNotAllowedError" ? hint : ""}`);
  }
  const client = url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(url, { method: "GET", lookup: pinnedLookup(address), signal, headers: { "User-Agent": "Tessitura plugin installer", "Accept-Encoding": "identity" } });
    req.once("response", resolve);
    req.once("error", (err) => reject(new DownloadError(`downloading ${raw}: ${signal.aborted ? "timed out" : err.message}`)));
    req.end();
  });
}

async function save(res: http.IncomingMessage, dest: string, maxBytes: number, signal: AbortSignal, url: string): Promise<Downloaded> {
  const hash = createHash("sha256");
  // Opened before the first byte arrives, closed before anything is removed: no stray file is left behind.
  const out = await open(dest, "w", 0o600);
  let size = 0;
  try {
    for await (const chunk of res as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxBytes) {
        res.destroy();
        throw new DownloadError(`package size mismatch: expected ${maxBytes} bytes, got more`);
      }
      hash.update(chunk);
      await out.write(chunk);
    }
  } catch (err) {
    await out.close();
    rmSync(dest, { force: true });
    if (err instanceof DownloadError) throw err;
    throw new DownloadError(`downloading ${url}: ${signal.aborted ? "timed out" : (err as Error).message}`);
  }
  await out.close();
  return { size, sha256: hash.digest("hex") };
}
