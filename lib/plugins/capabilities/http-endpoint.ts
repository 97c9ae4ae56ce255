import "server-only";
import type { EndpointAuth, EndpointRequest, EndpointResponse, HttpEndpoint, HttpEndpointSource } from "../../endpoints/endpoint";
import { goMarshal } from "../go-json";
import { UserScope } from "../host/scope";
import type { PluginManager } from "../manager";

/**
 * HTTPEndpoint export (Navidrome PR #5045, open; addendum A2). The PR frames bytes with
 * ndpgen's `raw=true`, which Navidrome has since removed, so a merged version will likely
 * differ: the framing lives only in this file.
 */
export const FUNC_HTTP_HANDLE_REQUEST = "nd_http_handle_request";

/** Navidrome's `maxFrameSize`: a JSON part or body above it fails the call before the plugin runs. */
const MAX_FRAME_PART = 2 * 1024 * 1024;

/** The JSON part of the request frame (`capabilities.HTTPHandleRequest`, without the redundant `body` copy). */
export interface HttpHandleRequest {
  method: string;
  path: string;
  query?: string;
  headers?: Record<string, string[]>;
  user?: { id: string; username: string; name: string; isAdmin: boolean };
}

/** The JSON part of a success frame. */
export interface HttpHandleResponse {
  status?: number;
  headers?: Record<string, string[]>;
}

/** `[u32 BE json length][JSON][raw body]`. */
export function encodeRequestFrame(req: EndpointRequest): Uint8Array {
  const head: HttpHandleRequest = { method: req.method, path: req.path };
  if (req.query) head.query = req.query;
  if (Object.keys(req.headers).length) head.headers = req.headers;
  if (req.user) head.user = req.user;
  const json = new TextEncoder().encode(goMarshal(head));
  if (json.length > MAX_FRAME_PART || req.body.length > MAX_FRAME_PART) throw new Error("input frame too large");
  const out = new Uint8Array(4 + json.length + req.body.length);
  new DataView(out.buffer).setUint32(0, json.length);
  out.set(json, 4);
  out.set(req.body, 4 + json.length);
  return out;
}

/** `[0x00][u32 BE json length][JSON][raw body]` or `[0x01][message]`, with Navidrome's error texts. */
export function decodeResponseFrame(out: Uint8Array): EndpointResponse {
  if (out.length === 0) throw new Error("empty response from plugin");
  if (out[0] === 1) throw new Error(`plugin error: ${new TextDecoder().decode(out.subarray(1))}`);
  if (out[0] !== 0) throw new Error(`unknown response status byte: 0x${out[0].toString(16).padStart(2, "0")}`);
  if (out.length < 5) throw new Error("malformed success response from plugin");
  const length = new DataView(out.buffer, out.byteOffset, out.byteLength).getUint32(1);
  if (5 + length > out.length) throw new Error(`invalid json length in response frame: ${length} exceeds ${out.length - 5} available bytes`);
  let head: HttpHandleResponse;
  try {
    head = (JSON.parse(new TextDecoder().decode(out.subarray(5, 5 + length))) ?? {}) as HttpHandleResponse;
  } catch (err) {
    throw new Error(`failed to unmarshal response: ${(err as Error).message}`);
  }
  if (typeof head !== "object" || Array.isArray(head)) throw new Error("failed to unmarshal response: not an object");
  const headers: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(head.headers ?? {})) if (Array.isArray(v)) headers[k] = v.filter((x): x is string => typeof x === "string");
  const status = typeof head.status === "number" ? head.status : 0;
  return { status, headers, body: out.slice(5 + length) };
}

/** A loaded plugin's endpoint; the manifest's auth mode and the admin's user scope are read per request. */
export class PluginHttpEndpoint implements HttpEndpoint {
  constructor(
    private readonly manager: PluginManager,
    readonly pluginId: string,
    readonly auth: EndpointAuth,
  ) {}

  allowsUser(userId: string): boolean {
    const plugin = this.manager.loadedPlugin(this.pluginId);
    return !!plugin && new UserScope(plugin.record).allows(userId);
  }

  async handle(req: EndpointRequest, signal?: AbortSignal): Promise<EndpointResponse> {
    const out = await this.manager.callRaw(this.pluginId, FUNC_HTTP_HANDLE_REQUEST, encodeRequestFrame(req), { signal });
    return decodeResponseFrame(out);
  }
}

/** The endpoint router's view of the manager: loaded, with the capability and the `endpoints` permission (else 404). */
export function pluginHttpEndpointSource(manager: PluginManager): HttpEndpointSource {
  return {
    get(id) {
      const plugin = manager.loadedPlugin(id);
      const auth = plugin?.manifest.permissions?.endpoints?.auth;
      if (!plugin || !auth || !plugin.capabilities.includes("HTTPEndpoint")) return undefined;
      return new PluginHttpEndpoint(manager, id, auth);
    },
  };
}
