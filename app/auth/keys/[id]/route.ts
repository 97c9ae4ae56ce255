import { deleteApiKey } from "@/lib/auth/api-keys";
import { route } from "@/lib/http/route";
import { empty } from "@/lib/http/respond";

// DELETE /auth/keys/:id – revoke one of the signed-in user's API keys
export const DELETE = route<undefined, { id: string }>({ auth: "user" }, async ({ session, params }) => {
  await deleteApiKey(session!.user.id, params.id);
  return empty();
});
