import { z } from "zod";
import { loginResponseBody } from "@/lib/auth/login-response";
import { login, sessionCookie } from "@/lib/auth/session";
import { findUserByName } from "@/lib/users/users";
import { clientIp, isSecure, route } from "@/lib/http/route";
import { json } from "@/lib/http/respond";

const Body = z.object({ username: z.string().default(""), password: z.string().default("") });

// POST /auth/login – Navidrome-compatible login: user + token, and the session cookie
export const POST = route({ auth: "none", body: Body }, async ({ req, body }) => {
  const { token } = await login(body.username, body.password, clientIp(req));
  const user = (await findUserByName(body.username))!;
  return json(loginResponseBody(user, token), { headers: { "Set-Cookie": sessionCookie(token, isSecure(req)) } });
});
