import "server-only";
import { listUsers } from "../../users/users";
import { omitEmpty } from "../go-json";
import { asyncHostFunction } from "./async-host-function";
import type { HostService, HostServiceContext } from "./registry";

/** A user as plugins see it (contract §4.11): every field always present; no ID, e-mail or password. */
export interface PluginUser {
  userName: string;
  name: string;
  isAdmin: boolean;
}

/**
 * Users host service (contract §4.11): the users in the plugin's scope — all users, or
 * the selected user IDs — ordered by user name. Settings changes reload the plugin, so
 * the scope read at load time is current.
 */
export function createUsersService(ctx: HostServiceContext): HostService {
  const allowed = new Set(ctx.record.users);
  const inScope = async (): Promise<PluginUser[]> =>
    (await listUsers())
      .filter((u) => ctx.record.allUsers || allowed.has(u.id))
      .map((u) => ({ userName: u.userName, name: u.name, isAdmin: u.isAdmin }));
  return {
    functions: {
      users_getusers: asyncHostFunction(async () => omitEmpty({ result: await inScope() })),
      users_getadmins: asyncHostFunction(async () => omitEmpty({ result: (await inScope()).filter((u) => u.isAdmin) })),
    },
  };
}
