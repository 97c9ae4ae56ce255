import { createApiKey, listApiKeys, NewApiKeySchema } from "@/lib/auth/api-keys";
import { route } from "@/lib/http/route";
import { json } from "@/lib/http/respond";

// GET /auth/keys – the signed-in user's own API keys (never the keys themselves)
export const GET = route({ auth: "user" }, async ({ session }) => json(await listApiKeys(session!.user.id)));

// POST /auth/keys – create an API key {name}; the answer carries the key, shown this once
export const POST = route({ auth: "user", body: NewApiKeySchema }, async ({ session, body }) => json(await createApiKey(session!.user.id, body.name), { status: 201 }));
