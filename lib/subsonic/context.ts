import type { User as UserRow } from "../db/rows";
import type { Params } from "./params";
import type { SubsonicBody } from "./respond";

/** What every Subsonic handler receives. */
export interface SubsonicContext {
  params: Params;
  user: UserRow;
  /** The `c` parameter: the client's name (a plugin id for in-process calls). */
  client: string;
  /** The HTTP request, absent for in-process calls (the subsonicapi host service). */
  req?: Request;
}

/** A handler answers a body to wrap in the envelope, or a raw Response (streams, images). */
export type SubsonicHandler = (ctx: SubsonicContext) => Promise<SubsonicBody | Response>;
