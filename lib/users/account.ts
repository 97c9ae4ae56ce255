import "server-only";
import { z } from "zod";
import { throttledAttempt, throttledMessage } from "../auth/attempt";
import { encryptSecret } from "../auth/secrets";
import { tokenFor, type Session } from "../auth/session";
import { updateUserRow } from "../db/users";
import { AppError } from "../errors";
import { passwordMatches, toPublicUser, UserPatchSchema, type PublicUser } from "./users";

/**
 * The signed-in user's own account (issue #17, account page): display name, e-mail and
 * password. Patch semantics as PUT /api/user: a field left out keeps its value.
 */
export const AccountPatchSchema = UserPatchSchema.pick({ name: true, email: true, password: true }).extend({
  /** Required with `password`: a stolen session alone must not be enough to take the account over. */
  currentPassword: z.string().max(256).optional(),
});
export type AccountPatch = z.input<typeof AccountPatchSchema>;

export interface AccountUpdate {
  user: PublicUser;
  /**
   * After a password change: a fresh token for the session that made it. The change bumps
   * the user's token generation, which signs out every other session (and this one's old
   * token); this session continues with the new token.
   */
  token?: string;
}

/** Checks the current password under the shared authentication throttle (it is a guessable secret like any login). */
async function assertCurrentPassword(session: Session, candidate: string | undefined, clientAddr: string): Promise<void> {
  if (!candidate) throw new AppError("INVALID_INPUT", "Enter your current password to set a new one", { fields: { currentPassword: "required to change the password" } });
  const result = await throttledAttempt({ addr: clientAddr, user: session.user.userName, via: "password-change" }, () => (passwordMatches(session.user, candidate) ? true : null));
  if (!result.ok && result.retryAfter > 0) throw new AppError("RATE_LIMITED", throttledMessage(result.retryAfter), { retryAfter: result.retryAfter });
  if (!result.ok) throw new AppError("FORBIDDEN", "The current password is not correct", { fields: { currentPassword: "not correct" } });
}

/**
 * Updates the session user's own name, e-mail and (with the current password) password.
 * A new password also changes the Subsonic credentials (they are the same password).
 */
export async function updateOwnAccount(session: Session, patch: AccountPatch, clientAddr: string): Promise<AccountUpdate> {
  const { currentPassword, password, ...profile } = AccountPatchSchema.parse(patch);
  if (password !== undefined) await assertCurrentPassword(session, currentPassword, clientAddr);
  const row = await updateUserRow(session.user.id, { ...profile, ...(password ? { password: encryptSecret(password) } : {}) });
  return { user: toPublicUser(row), ...(password ? { token: await tokenFor(row, session) } : {}) };
}
