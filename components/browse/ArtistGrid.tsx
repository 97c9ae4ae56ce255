"use client";
import PlayArrow from "@mui/icons-material/PlayArrow";
import Box from "@mui/material/Box";
import IconButton from "@mui/material/IconButton";
import Link from "@mui/material/Link";
import Tooltip from "@mui/material/Tooltip";
import Typography from "@mui/material/Typography";
import NextLink from "next/link";
import type { ArtistView } from "@/lib/browse/types";
import Cover from "./Cover";
import { usePlaySource } from "./usePlaySource";

function ArtistTile({ artist }: { artist: ArtistView }) {
  const { play, busy, error } = usePlaySource();
  const href = `/artists/${encodeURIComponent(artist.id)}`;
  return (
    <Box component="li" data-testid="artist-tile" sx={{ display: "flex", alignItems: "center", gap: 1.5, p: 1, borderRadius: 1, "&:hover": { bgcolor: "action.hover" } }}>
      <NextLink href={href} tabIndex={-1} aria-hidden>
        <Cover coverArt={artist.coverArt} size={48} round />
      </NextLink>
      <Box sx={{ minWidth: 0, flexGrow: 1 }}>
        <Link component={NextLink} href={href} underline="hover" color="inherit" variant="subtitle2" noWrap sx={{ display: "block" }}>
          {artist.name}
        </Link>
        <Typography variant="caption" color="text.secondary">
          {artist.albumCount === 1 ? "1 album" : `${artist.albumCount} albums`}
        </Typography>
      </Box>
      <Tooltip title={error ?? "Play"}>
        <IconButton size="small" aria-label={`Play ${artist.name}`} disabled={busy} onClick={() => play("artist", artist.id)}>
          <PlayArrow fontSize="small" />
        </IconButton>
      </Tooltip>
    </Box>
  );
}

/** Artists with their image (agents' image, else the newest album's cover), linked to their pages. */
export default function ArtistGrid({ artists }: { artists: ArtistView[] }) {
  return (
    <Box component="ul" sx={{ listStyle: "none", p: 0, m: 0, display: "grid", gap: 1, gridTemplateColumns: { xs: "1fr", sm: "1fr 1fr", md: "1fr 1fr 1fr" } }}>
      {artists.map((a) => (
        <ArtistTile key={a.id} artist={a} />
      ))}
    </Box>
  );
}
