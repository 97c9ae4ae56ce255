import { route } from "@/lib/http/route";
import { empty, json } from "@/lib/http/respond";
import { parseIdParam } from "@/lib/http/route-params";
import { deleteLibrary, LibraryInputSchema, libraryView, updateLibrary } from "@/lib/libraries/libraries";

type P = { id: string };

// PUT /api/library/:id – rename or move a library {name, path} (admin)
export const PUT = route<typeof LibraryInputSchema, P>({ auth: "admin", body: LibraryInputSchema }, async ({ params, body }) =>
  json(libraryView(await updateLibrary(parseIdParam(params.id, "library"), body))),
);

// DELETE /api/library/:id – remove a library and its catalog (admin; files are untouched)
export const DELETE = route<undefined, P>({ auth: "admin" }, async ({ params }) => {
  await deleteLibrary(parseIdParam(params.id, "library"));
  return empty();
});
