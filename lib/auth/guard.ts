import "server-only";
import { redirect } from "next/navigation";
import type { User as UserRow } from "../db/rows";
import { countUsers } from "../users/users";
import { currentUser } from "./session";

/** For pages: the signed-in user, or a redirect to first-run / login. */
export async function requirePageUser(): Promise<UserRow> {
  const user = await currentUser();
  if (user) return user;
  redirect((await countUsers()) === 0 ? "/create-admin" : "/login");
}

/** For admin pages: non-admins are sent home. */
export async function requirePageAdmin(): Promise<UserRow> {
  const user = await requirePageUser();
  if (!user.isAdmin) redirect("/");
  return user;
}
