import { clearedSessionCookie, endSession } from "@/lib/auth/session";
import { isSecure, route } from "@/lib/http/route";
import { empty } from "@/lib/http/respond";

// POST /auth/logout – ends the session (its tokens stop working) and clears the cookie
export const POST = route({ auth: "none" }, async ({ req, session }) => {
  if (session) await endSession(session);
  return empty(204, { "Set-Cookie": clearedSessionCookie(isSecure(req)) });
});
