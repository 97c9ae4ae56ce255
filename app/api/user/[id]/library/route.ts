import { z } from "zod";
import { route } from "@/lib/http/route";
import { json } from "@/lib/http/respond";
import { libraryView } from "@/lib/libraries/libraries";
import { librariesOfUser, updateUser } from "@/lib/users/users";

type P = { id: string };

const SetLibrariesSchema = z.object({ libraryIds: z.array(z.number().int().positive()).max(10_000) });

// GET /api/user/:id/library – the libraries the user may browse (admin; Navidrome's route)
export const GET = route<undefined, P>({ auth: "admin" }, async ({ params }) => json((await librariesOfUser(params.id)).map(libraryView)));

// PUT /api/user/:id/library – {libraryIds}: browse exactly these (turns "all libraries" off); answers the new list
export const PUT = route<typeof SetLibrariesSchema, P>({ auth: "admin", body: SetLibrariesSchema }, async ({ params, body, session }) => {
  await updateUser(params.id, { allLibraries: false, libraryIds: body.libraryIds }, session!.user);
  return json((await librariesOfUser(params.id)).map(libraryView));
});
