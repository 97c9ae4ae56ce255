import { beforeAll, describe, expect, it } from "vitest";
import { bootTestServer } from "../testing/boot-test-server";
import * as q from "./users";

beforeAll(async () => {
  // No dev admin: the table starts empty.
  await bootTestServer({ ND_SCANNER_SCANONSTARTUP: "false", ND_DEVAUTOCREATEADMINPASSWORD: "" });
});

const user = (id: string, isAdmin = false): q.UserData => ({ id, userName: id, name: "", email: "", password: "enc", isAdmin });

describe("user queries", () => {
  it("create the first user only while the table is empty", async () => {
    expect(await q.countUsers()).toBe(0);
    expect((await q.insertFirstUser(() => user("Admin", true)))?.id).toBe("Admin");
    expect(await q.insertFirstUser(() => user("late", true))).toBeNull();
    await expect(q.insertFirstUser(() => { throw new Error("not reached"); })).resolves.toBeNull();
    expect(await q.countAdmins()).toBe(1);
  });

  it("insert, find by id and name, list by name", async () => {
    await q.insertUser(user("bob"));
    await q.insertUser(user("Carol"));
    expect((await q.findUserById("bob"))?.userName).toBe("bob");
    expect(await q.findUserById("nobody")).toBeNull();
    expect((await q.findUserByExactName("Carol"))?.id).toBe("Carol");
    expect(await q.findUserByExactName("carol")).toBeNull();
    expect((await q.findUsersNameContaining("carol")).map((u) => u.id)).toEqual(["Carol"]);
    expect(await q.findUserName("bob")).toEqual({ id: "bob", userName: "bob" });
    expect(await q.findUserName("nobody")).toBeNull();
    expect((await q.listUserRows()).map((u) => u.userName)).toEqual(["Admin", "Carol", "bob"]);
  });

  it("update (a new password bumps the token generation), record logins, delete", async () => {
    const before = (await q.findUserById("bob"))!;
    expect((await q.updateUserRow("bob", { name: "Bob" })).tokenGeneration).toBe(before.tokenGeneration);
    const changed = await q.updateUserRow("bob", { password: "enc2" });
    expect([changed.password, changed.tokenGeneration, changed.name]).toEqual(["enc2", before.tokenGeneration + 1, "Bob"]);
    expect((await q.recordLogin("bob")).lastLoginAt).toBeInstanceOf(Date);
    await q.deleteUserRow("bob");
    expect(await q.findUserById("bob")).toBeNull();
  });
});
