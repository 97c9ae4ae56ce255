import Typography from "@mui/material/Typography";
import EmptyState from "@/components/browse/EmptyState";
import PlaylistList from "@/components/browse/PlaylistList";
import { requirePageUser } from "@/lib/auth/guard";
import { playlistSummaries } from "@/lib/browse/playlists";
import { viewerOf } from "@/lib/browse/scope";

export const dynamic = "force-dynamic";

export default async function PlaylistsPage() {
  const playlists = await playlistSummaries(await viewerOf(await requirePageUser()));
  return (
    <>
      <Typography variant="h4" component="h1" gutterBottom>
        Playlists
      </Typography>
      {playlists.length ? (
        <PlaylistList playlists={playlists} />
      ) : (
        <EmptyState title="No playlists yet" hint="Create playlists in any Subsonic client; playlist plugins add theirs here too." />
      )}
    </>
  );
}
