import { listApiKeys } from "@/lib/auth/api-keys";
import { getUserOrThrow } from "@/lib/users/users";
import { route } from "@/lib/http/route";
import { json } from "@/lib/http/respond";

// GET /api/user/:id/keys – a user's API keys (admin; never the keys themselves)
export const GET = route<undefined, { id: string }>({ auth: "admin" }, async ({ params }) => {
  await getUserOrThrow(params.id);
  return json(await listApiKeys(params.id));
});
