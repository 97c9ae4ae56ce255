import "server-only";
import { log } from "../log";
import { HOST_OVERRIDES_ENV, parseHostOverrides } from "../net/host-overrides";
import { HttpSendClient } from "../net/http-client";
import { remember } from "../server/remember";
import type { CoverImage } from "./covers";

/**
 * Images at URLs that metadata agents returned (artist images). Fetched with the same
 * client plugins' `http_send` uses, with no allow-list, so localhost, private addresses
 * (also behind DNS or redirects) are refused: an agent cannot make the server fetch from
 * the local network. Non-images and failures answer null (the caller falls back).
 */
const client = () =>
  remember("externalImageClient", () => ({
    http: new HttpSendClient({
      requiredHosts: [],
      overrides: parseHostOverrides(process.env[HOST_OVERRIDES_ENV]),
      warn: (message, fields) => log.warn(fields, message),
    }),
  }));

export async function fetchExternalImage(url: string): Promise<CoverImage | null> {
  try {
    const res = await client().http.send({ method: "GET", url, headers: {}, noFollowRedirects: false, body: undefined, timeoutMs: 10_000 }, AbortSignal.timeout(15_000));
    const type = (res.headers["Content-Type"] ?? "").split(";")[0].trim().toLowerCase();
    if (res.statusCode !== 200 || !type.startsWith("image/") || res.body.length === 0) return null;
    return { bytes: res.body, contentType: type };
  } catch (err) {
    log.info({ url, err: (err as Error).message }, "Could not fetch an external image");
    return null;
  }
}
