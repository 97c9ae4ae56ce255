import Box from "@mui/material/Box";
import Stack from "@mui/material/Stack";
import Typography from "@mui/material/Typography";
import NextLink from "next/link";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import CollectionActions from "@/components/browse/CollectionActions";
import Cover from "@/components/browse/Cover";
import RatingControl from "@/components/browse/RatingControl";
import SongList from "@/components/browse/SongList";
import StarButton from "@/components/browse/StarButton";
import { requirePageUser } from "@/lib/auth/guard";
import { albumDetail, albumNotes } from "@/lib/browse/albums";
import { viewerOf, type Viewer } from "@/lib/browse/scope";
import { formatDuration } from "@/lib/browse/urls";

export const dynamic = "force-dynamic";

/** The agents' album notes, streamed in after the track list (the first visit asks the agents). */
async function AlbumNotes({ viewer, albumId }: { viewer: Viewer; albumId: string }) {
  const notes = await albumNotes(viewer, albumId);
  if (!notes) return null;
  return (
    <Box component="section" aria-labelledby="album-notes" sx={{ mt: 4 }}>
      <Typography id="album-notes" variant="h6" component="h2" gutterBottom>
        About this album
      </Typography>
      <Typography sx={{ maxWidth: "75ch" }}>{notes}</Typography>
    </Box>
  );
}

export default async function AlbumPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const viewer = await viewerOf(await requirePageUser());
  const detail = await albumDetail(viewer, id);
  if (!detail) notFound();
  const { album, songs, totalDuration } = detail;
  const facts = [album.year ? String(album.year) : "", album.genres.join(", "), `${songs.length} ${songs.length === 1 ? "song" : "songs"}`, formatDuration(totalDuration)].filter(Boolean);
  return (
    <>
      <Stack direction={{ xs: "column", sm: "row" }} spacing={3} sx={{ mb: 3, alignItems: { sm: "flex-end" } }}>
        <Cover coverArt={album.coverArt} size={220} alt={`Cover of ${album.name}`} />
        <Box>
          <Typography variant="overline">Album</Typography>
          <Stack direction="row" spacing={1} sx={{ alignItems: "center" }}>
            <Typography variant="h4" component="h1">
              {album.name}
            </Typography>
            <StarButton type="album" id={album.id} name={album.name} starred={album.starred} size="medium" />
          </Stack>
          <Typography variant="subtitle1" component="p">
            <NextLink href={`/artists/${encodeURIComponent(album.artistId)}`} style={{ color: "inherit" }}>
              {album.artist}
            </NextLink>
          </Typography>
          <Typography color="text.secondary" data-testid="album-facts">
            {facts.join(" · ")}
          </Typography>
          <Box sx={{ my: 1 }}>
            <RatingControl type="album" id={album.id} name={album.name} rating={album.rating} />
          </Box>
          <CollectionActions tracks={songs.map((s) => s.track)} noun="album" mixSeed={{ kind: "album", id: album.id }} />
        </Box>
      </Stack>
      <SongList songs={songs} trackNumbers label={`Songs of ${album.name}`} />
      <Suspense fallback={null}>
        <AlbumNotes viewer={viewer} albumId={album.id} />
      </Suspense>
    </>
  );
}
