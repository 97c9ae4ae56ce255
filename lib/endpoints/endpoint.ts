/**
 * Plugin HTTP endpoints (HTTPEndpoint capability, Navidrome PR #5045): what the endpoint
 * router needs from a plugin, and where it finds one. The plugin adapter
 * (lib/plugins/capabilities/http-endpoint.ts) implements it; lib/server/boot.ts wires it.
 */
import { remember } from "../server/remember";

/** How callers of a plugin's endpoints authenticate (the manifest's `permissions.endpoints.auth`). */
export type EndpointAuth = "native" | "subsonic" | "none";

/** The authenticated caller as the plugin sees it (only for `native` and `subsonic`). */
export interface EndpointUser {
  id: string;
  username: string;
  name: string;
  isAdmin: boolean;
}

/** One request, already authenticated and bounded. */
export interface EndpointRequest {
  method: string;
  /** The part after `/{pluginId}`, with a leading `/`; `""` for the plugin's root. */
  path: string;
  /** Raw query without `?`; `""` when absent. */
  query: string;
  /** Header name → all its values (credentials and internal headers already removed). */
  headers: Record<string, string[]>;
  body: Uint8Array;
  user?: EndpointUser;
}

/** What the plugin answered; `status` 0 means 200. */
export interface EndpointResponse {
  status: number;
  headers: Record<string, string[]>;
  body: Uint8Array;
}

/** A loaded plugin that serves HTTP. */
export interface HttpEndpoint {
  readonly pluginId: string;
  readonly auth: EndpointAuth;
  /** Whether the plugin's user scope admits `userId` (authenticated modes). */
  allowsUser(userId: string): boolean;
  /** Runs the plugin; any failure is thrown (the router answers a bare 500). */
  handle(req: EndpointRequest, signal?: AbortSignal): Promise<EndpointResponse>;
}

/** Finds the endpoint of a plugin id, or undefined when it is not loaded or serves none. */
export interface HttpEndpointSource {
  get(pluginId: string): HttpEndpoint | undefined;
}

// On globalThis: route handlers are module instances separate from the one boot wired.
const holder = remember("httpEndpointSource", () => ({ source: null as HttpEndpointSource | null }));

/** Wired at boot (null at shutdown): without a source every endpoint is 404. */
export function setHttpEndpointSource(s: HttpEndpointSource | null): void {
  holder.source = s;
}

export function httpEndpointSource(): HttpEndpointSource | null {
  return holder.source;
}
