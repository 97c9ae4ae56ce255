import { AUTH_HEADER, sessionCookie } from "@/lib/auth/session";
import { clientIp, isSecure, route } from "@/lib/http/route";
import { json } from "@/lib/http/respond";
import { AccountPatchSchema, updateOwnAccount } from "@/lib/users/account";
import { toPublicUser } from "@/lib/users/users";

// GET /api/account – the signed-in user
export const GET = route({ auth: "user" }, async ({ session }) => json(toPublicUser(session!.user)));

// PUT /api/account – own name, e-mail, password (with currentPassword); a password change signs out the other sessions
export const PUT = route({ auth: "user", body: AccountPatchSchema }, async ({ req, body, session }) => {
  const { user, token } = await updateOwnAccount(session!, body, clientIp(req));
  if (!token) return json(user);
  // This session carries on with a token of the new generation (cookie and header alike).
  return json(user, { headers: { "Set-Cookie": sessionCookie(token, isSecure(req)), [AUTH_HEADER]: token } });
});
