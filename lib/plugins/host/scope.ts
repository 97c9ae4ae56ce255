import "server-only";
import type { PluginRecord } from "../../db/plugins";
import type { User as UserRow } from "../../db/rows";
import { findUserByName } from "../../users/users";

/**
 * The libraries an admin opened to a plugin ("all libraries", or a list of IDs), fixed at
 * load like Navidrome's `libraryAccess`: a settings change reloads the plugin.
 */
export class LibraryScope {
  private readonly ids: ReadonlySet<number>;
  readonly all: boolean;

  constructor(record: Pick<PluginRecord, "allLibraries" | "libraries">) {
    this.all = record.allLibraries;
    this.ids = new Set(record.libraries);
  }

  contains(libraryId: number): boolean {
    return this.all || this.ids.has(libraryId);
  }

  /** Whether any library is open to the plugin at all. */
  get configured(): boolean {
    return this.all || this.ids.size > 0;
  }

  /** The IDs among `libraryIds` that are in scope. */
  filter(libraryIds: number[]): number[] {
    return libraryIds.filter((id) => this.contains(id));
  }
}

/** The users an admin allowed a plugin to act as (user IDs, or "all users"). */
export class UserScope {
  private readonly ids: ReadonlySet<string>;
  readonly all: boolean;

  constructor(record: Pick<PluginRecord, "allUsers" | "users">) {
    this.all = record.allUsers;
    this.ids = new Set(record.users);
  }

  allows(userId: string): boolean {
    return this.all || this.ids.has(userId);
  }

  /** Whether any user is open to the plugin at all. */
  get configured(): boolean {
    return this.all || this.ids.size > 0;
  }

  /**
   * Looks a user name up (case-insensitively) and checks it against the scope, with
   * Navidrome's `userAccess.resolve` wording. With no user scope at all it refuses before
   * the lookup, so the answer never tells whether an account exists.
   */
  async resolve(userName: string): Promise<UserRow> {
    if (!this.configured) throw new Error("plugin is not authorized to scope by user");
    const user = await findUserByName(userName);
    if (!user) throw new Error(`user ${JSON.stringify(userName)} not found`);
    if (!this.allows(user.id)) throw new Error(`plugin is not allowed to act as user ${JSON.stringify(userName)}`);
    return user;
  }
}
