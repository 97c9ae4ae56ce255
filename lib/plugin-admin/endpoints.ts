import type { EndpointsView } from "@/components/plugins/types";
import type { Manifest } from "../plugins/manifest/types";

const AUTH_LABELS: Record<EndpointsView["auth"], string> = {
  native: "Tessitura login (web session); only users in the plugin's user scope",
  subsonic: "Subsonic credentials (u with p, or t and s); only users in the plugin's user scope",
  none: "Anyone: no login",
};

/**
 * Why a `none` endpoint deserves the admin's attention: the host checks nothing, so the
 * plugin's own code is the only gate (a webhook must verify its own token or signature).
 */
export const UNAUTHENTICATED_WARNING =
  "Anyone who can reach this server can call these URLs without logging in; only the plugin's own code decides what they get. " +
  "Enable it only if you trust the plugin to check its callers itself (for example a webhook secret).";

/**
 * The HTTP endpoints a plugin declares (`permissions.endpoints`, addendum A2), with the URLs
 * under both mounts (`/ext/{id}` and `/rest/ext/{id}`) behind `baseUrl`, or null when it
 * declares none. `paths` is informational (every path under the prefix reaches the plugin),
 * so with no paths the plugin's root is shown. `capabilities` is null while the plugin is
 * not loaded: its URLs then answer 404.
 */
export function endpointsView(id: string, manifest: Manifest, capabilities: readonly string[] | null, baseUrl: string): EndpointsView | null {
  const perm = manifest.permissions?.endpoints;
  if (!perm || !(perm.auth in AUTH_LABELS)) return null;
  const prefix = `${baseUrl}/ext/${encodeURIComponent(id)}`;
  const restPrefix = `${baseUrl}/rest/ext/${encodeURIComponent(id)}`;
  const declared = Array.isArray(perm.paths) ? perm.paths.filter((p): p is string => typeof p === "string" && p !== "") : [];
  const paths = declared.length ? declared.map((p) => (p.startsWith("/") ? p : `/${p}`)) : [""];
  return {
    auth: perm.auth,
    authLabel: AUTH_LABELS[perm.auth],
    warning: perm.auth === "none" ? UNAUTHENTICATED_WARNING : null,
    ...(typeof perm.reason === "string" && perm.reason ? { reason: perm.reason } : {}),
    served: !!capabilities?.includes("HTTPEndpoint"),
    urls: paths.map((path) => ({ path, url: prefix + path, restUrl: restPrefix + path })),
  };
}
