import { deleteApiKey } from "@/lib/auth/api-keys";
import { route } from "@/lib/http/route";
import { empty } from "@/lib/http/respond";

// DELETE /api/user/:id/keys/:keyId – revoke another user's API key (admin)
export const DELETE = route<undefined, { id: string; keyId: string }>({ auth: "admin" }, async ({ params }) => {
  await deleteApiKey(params.id, params.keyId);
  return empty();
});
