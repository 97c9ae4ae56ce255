// Users host service (`users` permission, contract §4.11): the users an admin allowed the
// plugin to see. Plugins only ever see user names, never IDs, e-mails or passwords.
import { hostRequest, hostResponse } from "../lib/host";
import { JSONValue } from "../lib/json";
import { HostResult } from "../lib/results";

@external("extism:host/user", "users_getusers")
declare function users_getusers(offset: u64): u64;
@external("extism:host/user", "users_getadmins")
declare function users_getadmins(offset: u64): u64;

export class UserInfo {
  userName: string = "";
  name: string = "";
  isAdmin: bool = false;

  static decode(v: JSONValue): UserInfo {
    const u = new UserInfo();
    u.userName = v.getString("userName");
    u.name = v.getString("name");
    u.isAdmin = v.getBool("isAdmin");
    return u;
  }
}

export class UsersResult extends HostResult {
  users: UserInfo[] = [];

  /** The user with this user name (any case), or null. */
  find(userName: string): UserInfo | null {
    const lower = userName.toLowerCase();
    for (let i = 0; i < this.users.length; i++) if (this.users[i].userName.toLowerCase() == lower) return this.users[i];
    return null;
  }
}

function usersResult(offset: u64): UsersResult {
  const res = hostResponse(offset);
  const r = new UsersResult();
  if (r.takeError(res)) return r;
  const items = res.getArray("result");
  for (let i = 0; i < items.length; i++) r.users.push(UserInfo.decode(items[i]));
  return r;
}

export class Users {
  /** Every user in the plugin's scope. */
  static all(): UsersResult {
    return usersResult(users_getusers(hostRequest("{}")));
  }

  /** The admins among them. */
  static admins(): UsersResult {
    return usersResult(users_getadmins(hostRequest("{}")));
  }
}
