"use client";
import PlayArrow from "@mui/icons-material/PlayArrow";
import Box from "@mui/material/Box";
import Card from "@mui/material/Card";
import CardContent from "@mui/material/CardContent";
import Grid from "@mui/material/Grid";
import IconButton from "@mui/material/IconButton";
import Link from "@mui/material/Link";
import Tooltip from "@mui/material/Tooltip";
import Typography from "@mui/material/Typography";
import NextLink from "next/link";
import type { AlbumView } from "@/lib/browse/types";
import Cover from "./Cover";
import StarButton from "./StarButton";
import { usePlaySource } from "./usePlaySource";

function AlbumCard({ album }: { album: AlbumView }) {
  const { play, busy, error } = usePlaySource();
  const href = `/albums/${encodeURIComponent(album.id)}`;
  return (
    <Card variant="outlined" sx={{ height: "100%" }} data-testid="album-card">
      <Box sx={{ position: "relative" }}>
        <NextLink href={href} tabIndex={-1} aria-hidden>
          <Box sx={{ "& .MuiAvatar-root": { width: "100%", height: "auto", aspectRatio: "1", borderRadius: 0 } }}>
            <Cover coverArt={album.coverArt} size={180} />
          </Box>
        </NextLink>
        <Tooltip title={error ?? "Play"}>
          <IconButton
            aria-label={`Play ${album.name}`}
            disabled={busy}
            onClick={() => play("album", album.id)}
            sx={{ position: "absolute", right: 8, bottom: 8, bgcolor: "background.paper", boxShadow: 2, "&:hover": { bgcolor: "background.paper" } }}
          >
            <PlayArrow />
          </IconButton>
        </Tooltip>
      </Box>
      <CardContent sx={{ p: 1.5, "&:last-child": { pb: 1.5 }, display: "flex", alignItems: "flex-start", gap: 0.5 }}>
        <Box sx={{ minWidth: 0, flexGrow: 1 }}>
          <Link component={NextLink} href={href} underline="hover" color="inherit" variant="subtitle2" noWrap sx={{ display: "block" }}>
            {album.name}
          </Link>
          <Typography variant="caption" color="text.secondary" noWrap component="div">
            <Link component={NextLink} href={`/artists/${encodeURIComponent(album.artistId)}`} underline="hover" color="inherit">
              {album.artist}
            </Link>
            {album.year ? ` · ${album.year}` : ""}
          </Typography>
        </Box>
        <StarButton type="album" id={album.id} name={album.name} starred={album.starred} />
      </CardContent>
    </Card>
  );
}

/** Album cards with cover, name, artist and year; each card plays its album ("Play <album>"). */
export default function AlbumGrid({ albums }: { albums: AlbumView[] }) {
  return (
    <Grid container spacing={2} component="ul" sx={{ listStyle: "none", p: 0, m: 0 }}>
      {albums.map((a) => (
        <Grid key={a.id} size={{ xs: 6, sm: 4, md: 3, lg: 2 }} component="li">
          <AlbumCard album={a} />
        </Grid>
      ))}
    </Grid>
  );
}
