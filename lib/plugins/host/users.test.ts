import { beforeAll, describe, expect, it } from "vitest";
import { bootWithVariants, forward } from "../../testing/host-plugins";
import { createUser, deleteUser, listUsers } from "../../users/users";
import type { PluginManager } from "../manager";

let manager: PluginManager;
const ID = "test-users";
const ids: Record<string, string> = {};
const call = (fn: string, id = ID) => forward(manager, id, fn, {});

beforeAll(async () => {
  ({ manager } = await bootWithVariants([{ base: "test-users" }, { base: "test-users", id: "users-no-permission", manifest: (m) => void delete m.permissions!.users }]));
  ids.carol = (await createUser({ userName: "carol", name: "Carol <C&C>", email: "carol@example.com", password: "carol-secret-pw" })).id;
  ids.bob = (await createUser({ userName: "bob", password: "bob-secret-pw", isAdmin: true })).id;
  ids.alice = (await createUser({ userName: "alice", name: "Alice", email: "alice@example.com", password: "alice-secret-pw" })).id;
  ids.admin = (await listUsers()).find((u) => u.userName === "admin")!.id;
});

describe("users_getusers / users_getadmins (contract §4.11)", () => {
  it("cannot be enabled before users are selected (gate 11)", async () => {
    await expect(manager.enable(ID)).rejects.toThrow("users permission requires configuration");
  });

  it("answers only the selected users, with userName, name and isAdmin always present", async () => {
    await manager.saveSettings(ID, { users: [ids.alice, ids.carol] });
    await manager.enable(ID);
    expect(await call("users_getusers")).toBe(
      '{"result":[{"userName":"alice","name":"Alice","isAdmin":false},{"userName":"carol","name":"Carol \\u003cC\\u0026C\\u003e","isAdmin":false}]}',
    );
    // No admin among the selected users: the empty result is omitted.
    expect(await call("users_getadmins")).toBe("{}");
  });

  it("never lists a user that is not assigned, nor any ID, e-mail or password", async () => {
    const text = await call("users_getusers");
    expect(text).not.toContain('"bob"');
    expect(text).not.toContain("example.com");
    expect(text).not.toContain("secret");
    expect(text).not.toContain(ids.alice);
  });

  it("answers every user, sorted by user name, with 'all users'", async () => {
    await manager.saveSettings(ID, { allUsers: true });
    expect(await call("users_getusers")).toBe(
      '{"result":[{"userName":"admin","name":"Admin","isAdmin":true},{"userName":"alice","name":"Alice","isAdmin":false},{"userName":"bob","name":"","isAdmin":true},{"userName":"carol","name":"Carol \\u003cC\\u0026C\\u003e","isAdmin":false}]}',
    );
    expect(await call("users_getadmins")).toBe('{"result":[{"userName":"admin","name":"Admin","isAdmin":true},{"userName":"bob","name":"","isAdmin":true}]}');
  });

  it("follows the selection after a settings save and after a user is deleted", async () => {
    await manager.saveSettings(ID, { allUsers: false, users: [ids.bob, ids.carol] });
    expect(await call("users_getadmins")).toBe('{"result":[{"userName":"bob","name":"","isAdmin":true}]}');
    await deleteUser(ids.carol, { id: ids.admin });
    expect(await call("users_getusers")).toBe('{"result":[{"userName":"bob","name":"","isAdmin":true}]}');
  });

  it("is not granted without the users permission: the plugin fails to load", async () => {
    await expect(manager.enable("users-no-permission")).rejects.toThrow(/"users_get\w+" is not exported in module "extism:host\/user"/);
  });
});
