import Box from "@mui/material/Box";
import Stack from "@mui/material/Stack";
import Typography from "@mui/material/Typography";
import { notFound } from "next/navigation";
import CollectionActions from "@/components/browse/CollectionActions";
import Cover from "@/components/browse/Cover";
import { PlaylistChips } from "@/components/browse/PlaylistList";
import SongList from "@/components/browse/SongList";
import { requirePageUser } from "@/lib/auth/guard";
import { playlistDetail } from "@/lib/browse/playlists";
import { viewerOf } from "@/lib/browse/scope";
import { formatDuration } from "@/lib/browse/urls";

export const dynamic = "force-dynamic";

export default async function PlaylistPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const detail = await playlistDetail(await viewerOf(await requirePageUser()), id);
  if (!detail) notFound();
  const { playlist, songs } = detail;
  return (
    <>
      <Stack direction={{ xs: "column", sm: "row" }} spacing={3} sx={{ mb: 3, alignItems: { sm: "flex-end" } }}>
        <Cover coverArt={playlist.coverArt} size={180} alt={`Cover of ${playlist.name}`} />
        <Box>
          <Typography variant="overline">Playlist</Typography>
          <Typography variant="h4" component="h1">
            {playlist.name}
          </Typography>
          {playlist.comment && <Typography color="text.secondary">{playlist.comment}</Typography>}
          <Typography color="text.secondary">
            by {playlist.owner} · {songs.length} {songs.length === 1 ? "song" : "songs"} · {formatDuration(playlist.duration)}
          </Typography>
          <Box sx={{ my: 1 }}>
            <PlaylistChips playlist={playlist} />
          </Box>
          <CollectionActions tracks={songs.map((s) => s.track)} noun="playlist" />
        </Box>
      </Stack>
      {songs.length ? <SongList songs={songs} showAlbum label={`Songs of ${playlist.name}`} /> : <Typography color="text.secondary">This playlist has no songs you can play.</Typography>}
    </>
  );
}
