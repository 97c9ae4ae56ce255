import Box from "@mui/material/Box";
import Link from "@mui/material/Link";
import Skeleton from "@mui/material/Skeleton";
import Stack from "@mui/material/Stack";
import Typography from "@mui/material/Typography";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import AlbumGrid from "@/components/browse/AlbumGrid";
import CollectionActions from "@/components/browse/CollectionActions";
import Cover from "@/components/browse/Cover";
import SimilarArtists from "@/components/browse/SimilarArtists";
import SongList from "@/components/browse/SongList";
import StarButton from "@/components/browse/StarButton";
import { requirePageUser } from "@/lib/auth/guard";
import { artistDetail, artistExtras } from "@/lib/browse/artists";
import { viewerOf, type Viewer } from "@/lib/browse/scope";

export const dynamic = "force-dynamic";

/** Biography, similar artists and top songs: from the metadata agents, streamed in after the catalog part. */
async function AgentSections({ viewer, artistId, name }: { viewer: Viewer; artistId: string; name: string }) {
  const extras = await artistExtras(viewer, artistId);
  return (
    <>
      <Box component="section" aria-labelledby="about" sx={{ mb: 4 }}>
        <Typography id="about" variant="h6" component="h2" gutterBottom>
          About
        </Typography>
        {extras.biography ? (
          <Typography sx={{ whiteSpace: "pre-line", maxWidth: "75ch" }} data-testid="artist-biography">
            {extras.biography}
          </Typography>
        ) : (
          <Typography color="text.secondary">No biography yet — metadata agent plugins add one.</Typography>
        )}
        {extras.externalUrl && (
          <Link href={extras.externalUrl} target="_blank" rel="noopener noreferrer" sx={{ display: "inline-block", mt: 1 }}>
            More about {name}
          </Link>
        )}
      </Box>
      {extras.topSongs.length > 0 && (
        <Box component="section" aria-labelledby="top-songs" sx={{ mb: 4 }}>
          <Typography id="top-songs" variant="h6" component="h2" gutterBottom>
            Top songs
          </Typography>
          <SongList songs={extras.topSongs} showAlbum label={`Top songs of ${name}`} />
        </Box>
      )}
      {extras.similar.length > 0 && (
        <Box component="section" aria-labelledby="similar" sx={{ mb: 4 }}>
          <Typography id="similar" variant="h6" component="h2" gutterBottom>
            Similar artists
          </Typography>
          <SimilarArtists artists={extras.similar} />
        </Box>
      )}
    </>
  );
}

function AgentSkeleton() {
  return (
    <Box sx={{ mb: 4 }} aria-busy="true" aria-label="Loading artist information">
      <Skeleton width={120} height={32} />
      <Skeleton variant="text" />
      <Skeleton variant="text" />
      <Skeleton variant="text" width="60%" />
    </Box>
  );
}

export default async function ArtistPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const viewer = await viewerOf(await requirePageUser());
  const detail = await artistDetail(viewer, id);
  if (!detail) notFound();
  const { artist, albums, songs } = detail;
  return (
    <>
      <Stack direction={{ xs: "column", sm: "row" }} spacing={3} sx={{ mb: 4, alignItems: { sm: "flex-end" } }}>
        <Cover coverArt={artist.coverArt} size={180} round alt={`Image of ${artist.name}`} />
        <Box>
          <Typography variant="overline">Artist</Typography>
          <Stack direction="row" spacing={1} sx={{ alignItems: "center" }}>
            <Typography variant="h4" component="h1">
              {artist.name}
            </Typography>
            <StarButton type="artist" id={artist.id} name={artist.name} starred={artist.starred} size="medium" />
          </Stack>
          <Typography color="text.secondary" gutterBottom>
            {albums.length} {albums.length === 1 ? "album" : "albums"} · {songs.length} {songs.length === 1 ? "song" : "songs"}
          </Typography>
          <CollectionActions tracks={songs.map((s) => s.track)} noun="artist" mixSeed={{ kind: "artist", id: artist.id }} />
        </Box>
      </Stack>
      <Suspense fallback={<AgentSkeleton />}>
        <AgentSections viewer={viewer} artistId={artist.id} name={artist.name} />
      </Suspense>
      <Box component="section" aria-labelledby="albums">
        <Typography id="albums" variant="h6" component="h2" gutterBottom>
          Albums
        </Typography>
        {albums.length ? <AlbumGrid albums={albums} /> : <Typography color="text.secondary">No albums of their own in your libraries.</Typography>}
      </Box>
    </>
  );
}
