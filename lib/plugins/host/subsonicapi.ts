import "server-only";
import path from "node:path";
import { findUserByName } from "../../users/users";
import { remember } from "../../server/remember";
import { decode, goField, omitEmpty } from "../go-json";
import { asyncHostFunction } from "./async-host-function";
import type { HostService, HostServiceContext } from "./registry";
import { UserScope } from "./scope";

/**
 * Runs one Subsonic request in-process as `userName` (already authorised by the service)
 * and answers the HTTP response the client would get. Injected at boot, so the plugin host
 * does not import the Subsonic layer, which itself reaches plugins.
 */
export type SubsonicRouter = (path: string, params: URLSearchParams, userName: string) => Promise<Response>;

const holder = remember("subsonicRouter", () => ({ router: null as SubsonicRouter | null }));

export function setSubsonicRouter(router: SubsonicRouter): void {
  holder.router = router;
}

/** The Subsonic API version the host announces for plugin calls (`v`). */
const SUBSONIC_API_VERSION = "1.16.1";

interface SubsonicResult {
  contentType: string;
  body: Uint8Array;
}

/**
 * SubsonicAPI host service (`subsonicapi` permission, which needs `users`; contract
 * §4.10). Only the last path segment of `uri` and its query are used; `u` is required and
 * must be a user the plugin may act as (any user with "all users"). The host forces
 * `c` = plugin ID and `v` = 1.16.1, and `f=json` for `call`. The answer is the body
 * whatever its status: `call` as text, `callraw` as bytes with its content type.
 */
export function createSubsonicApiService(ctx: HostServiceContext): HostService {
  const users = new UserScope(ctx.record);

  async function authorise(userName: string): Promise<void> {
    if (users.all) return;
    if (!users.configured) throw new Error(`no users configured for plugin ${ctx.pluginId}`);
    const user = await findUserByName(userName);
    if (!user) throw new Error(`username ${userName} not found`);
    if (!users.allows(user.id)) throw new Error(`user ${userName} is not authorized for this plugin`);
  }

  async function execute(uri: string, forceJson: boolean): Promise<SubsonicResult> {
    const router = holder.router;
    if (!router) throw new Error("SubsonicAPI router not available");
    let url: URL;
    try {
      url = new URL(uri, "http://localhost/");
    } catch (err) {
      throw new Error(`invalid URL format: ${(err as Error).message}`);
    }
    const params = url.searchParams;
    const userName = params.get("u") ?? "";
    if (!userName) throw new Error("missing required parameter 'u' (username)");
    await authorise(userName);
    params.set("c", ctx.pluginId);
    params.set("v", SUBSONIC_API_VERSION);
    if (forceJson) params.set("f", "json");
    const res = await router(`/${path.posix.basename(url.pathname)}`, params, userName);
    return { contentType: res.headers.get("content-type") ?? "", body: new Uint8Array(await res.arrayBuffer()) };
  }

  const uriOf = (req: Parameters<Parameters<typeof asyncHostFunction>[0]>[0], type: string) => decode.string(goField(req, "uri"), `${type}.uri`, "/uri") ?? "";
  return {
    functions: {
      subsonicapi_call: asyncHostFunction(async (req) => {
        const { body } = await execute(uriOf(req, "SubsonicAPICallRequest"), true);
        return omitEmpty({ responseJson: new TextDecoder().decode(body) });
      }),
      subsonicapi_callraw: asyncHostFunction(async (req) => {
        const { contentType, body } = await execute(uriOf(req, "SubsonicAPICallRawRequest"), false);
        return omitEmpty({ contentType, data: body });
      }),
    },
  };
}
