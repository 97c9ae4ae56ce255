import { route } from "@/lib/http/route";
import { json } from "@/lib/http/respond";
import { pluginPlaylistsView } from "@/lib/plugin-admin/plugin-playlists";

// GET /api/plugin/:id/playlists – the playlists a PlaylistProvider plugin keeps, with last and next refresh
export const GET = route<undefined, { id: string }>({ auth: "admin" }, async ({ params }) => json(await pluginPlaylistsView(params.id)));
