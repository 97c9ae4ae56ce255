import { createUser, listUsers, NewUserSchema } from "@/lib/users/users";
import { route } from "@/lib/http/route";
import { json } from "@/lib/http/respond";

// GET /api/user – all users (admin)
export const GET = route({ auth: "admin" }, async () => {
  const users = await listUsers();
  return json(users, { headers: { "X-Total-Count": String(users.length) } });
});

// POST /api/user – create a user (admin)
export const POST = route({ auth: "admin", body: NewUserSchema }, async ({ body }) => json(await createUser(body), { status: 201 }));
