import { clearedSessionCookie } from "@/lib/auth/session";
import { isSecure, route } from "@/lib/http/route";
import { empty } from "@/lib/http/respond";

// POST /auth/logout – ends the browser session
export const POST = route({ auth: "none" }, async ({ req }) => empty(204, { "Set-Cookie": clearedSessionCookie(isSecure(req)) }));
