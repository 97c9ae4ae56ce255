import { deleteUser, getUserOrThrow, updateUser, userView, UserPatchSchema } from "@/lib/users/users";
import { route } from "@/lib/http/route";
import { empty, json } from "@/lib/http/respond";

type P = { id: string };

// GET /api/user/:id – one user (admin)
export const GET = route<undefined, P>({ auth: "admin" }, async ({ params }) => json(await userView(await getUserOrThrow(params.id))));

// PUT /api/user/:id – edit a user (admin); patch semantics, incl. `allLibraries` and `libraryIds`
export const PUT = route<typeof UserPatchSchema, P>({ auth: "admin", body: UserPatchSchema }, async ({ params, body, session }) =>
  json(await updateUser(params.id, body, session!.user)),
);

// DELETE /api/user/:id – delete a user (admin)
export const DELETE = route<undefined, P>({ auth: "admin" }, async ({ params, session }) => {
  await deleteUser(params.id, session!.user);
  return empty();
});
