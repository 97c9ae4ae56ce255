import { z } from "zod";
import { loginResponseBody } from "@/lib/auth/login-response";
import { sessionCookie, tokenFor } from "@/lib/auth/session";
import { createFirstAdmin, getUserOrThrow } from "@/lib/users/users";
import { isSecure, route } from "@/lib/http/route";
import { json } from "@/lib/http/respond";

const Body = z.object({ username: z.string(), password: z.string(), name: z.string().optional() });

// POST /auth/createAdmin – first-run admin creation (refused once any user exists)
export const POST = route({ auth: "none", body: Body }, async ({ req, body }) => {
  const created = await createFirstAdmin({ userName: body.username, password: body.password, name: body.name ?? "" });
  const user = await getUserOrThrow(created.id);
  const token = await tokenFor(user);
  return json(loginResponseBody(user, token), { headers: { "Set-Cookie": sessionCookie(token, isSecure(req)) } });
});
