import { createUser, listUsers, NewUserRequestSchema } from "@/lib/users/users";
import { route } from "@/lib/http/route";
import { json } from "@/lib/http/respond";

// GET /api/user – all users (admin)
export const GET = route({ auth: "admin" }, async () => {
  const users = await listUsers();
  return json(users, { headers: { "X-Total-Count": String(users.length) } });
});

// POST /api/user – create a user (admin); all libraries unless `allLibraries: false` (then `libraryIds`)
export const POST = route({ auth: "admin", body: NewUserRequestSchema }, async ({ body }) => json(await createUser(body), { status: 201 }));
