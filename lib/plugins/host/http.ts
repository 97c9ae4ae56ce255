import "server-only";
import { log } from "../../log";
import { HOST_OVERRIDES_ENV, parseHostOverrides } from "../../net/host-overrides";
import { HttpSendClient, type SendRequest, type SendResponse } from "../../net/http-client";
import { decode, goBase64, goField, goMarshal, GoTypeError, parseRequest, type JsonNode } from "../go-json";
import type { HostFunction } from "../engine";
import type { HostService, HostServiceContext } from "./registry";

/** How Navidrome ends a private-address refusal (contract §4.2): the grant is the manifest's `requiredHosts`. */
const PRIVATE_HINT = "private/loopback addresses require explicit requiredHosts in manifest";

const T = "HTTPSendRequest.request";

/** Decodes `{"request": {…}}` with Go's rules (contract §2.12); `null`/missing fields are zero values. */
export function decodeSendRequest(req: JsonNode): SendRequest {
  const r = goField(req, "request");
  if (r && r.kind !== "null" && r.kind !== "object") throw new GoTypeError(r, "HTTPSendRequest.request", "host.HTTPRequest", "/request");
  const f = (name: string) => (r && r.kind === "object" ? goField(r, name) : undefined);
  return {
    method: decode.string(f("method"), `${T}.method`, "/request/method") ?? "",
    url: decode.string(f("url"), `${T}.url`, "/request/url") ?? "",
    headers: decode.stringMap(f("headers"), `${T}.headers`, "/request/headers") ?? {},
    noFollowRedirects: decode.bool(f("noFollowRedirects"), `${T}.noFollowRedirects`, "/request/noFollowRedirects") ?? false,
    body: decode.bytes(f("body"), `${T}.body`, "/request/body"),
    timeoutMs: decode.int(f("timeoutMs"), `${T}.timeoutMs`, "/request/timeoutMs", "int32") ?? 0,
  };
}

/**
 * `{"result":{statusCode, headers?, body?}}` with the headers map's keys sorted (a Go map)
 * while the struct keeps its field order.
 */
export function encodeSendResponse(r: SendResponse): string {
  const keys = Object.keys(r.headers).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const headers = keys.length ? `,"headers":{${keys.map((k) => `${goMarshal(k)}:${goMarshal(r.headers[k])}`).join(",")}}` : "";
  const body = r.body.byteLength ? `,"body":"${goBase64(r.body)}"` : "";
  return `{"result":{"statusCode":${r.statusCode}${headers}${body}}}`;
}

/**
 * HTTP host service (contract §4.2): `http_send`, Navidrome's outbound HTTP with its
 * allow-list, private-address refusal, redirect and size limits. Tessitura also checks
 * where host names resolve, and lets operators pin names to addresses for testing.
 */
export function createHttpService(ctx: HostServiceContext): HostService {
  const pluginLog = log.child({ plugin: ctx.pluginId });
  const client = new HttpSendClient({
    requiredHosts: ctx.manifest.permissions?.http?.requiredHosts ?? [],
    overrides: parseHostOverrides(process.env[HOST_OVERRIDES_ENV]),
    warn: (message, fields) => pluginLog.warn(fields, message),
    privateHint: PRIVATE_HINT,
  });
  const enc = new TextEncoder();
  const httpSend: HostFunction = async (input, call) => {
    let text: string;
    try {
      text = encodeSendResponse(await client.send(decodeSendRequest(parseRequest(input)), call.signal));
    } catch (err) {
      text = goMarshal({ error: (err as Error).message });
    }
    return enc.encode(text);
  };
  return {
    functions: { http_send: httpSend },
    close: async () => client.close(),
  };
}
