import { route } from "@/lib/http/route";
import { json } from "@/lib/http/respond";
import { createLibrary, LibraryInputSchema, libraryView, listLibraries } from "@/lib/libraries/libraries";

// GET /api/library – libraries with their scan statistics (admin)
export const GET = route({ auth: "admin" }, async () => {
  const libs = await listLibraries();
  return json(libs.map(libraryView), { headers: { "X-Total-Count": String(libs.length) } });
});

// POST /api/library – add a library {name, path} (admin); scan it afterwards
export const POST = route({ auth: "admin", body: LibraryInputSchema }, async ({ body }) => json(libraryView(await createLibrary(body)), { status: 201 }));
