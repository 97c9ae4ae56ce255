"use client";
import Lock from "@mui/icons-material/Lock";
import PlayArrow from "@mui/icons-material/PlayArrow";
import Box from "@mui/material/Box";
import Chip from "@mui/material/Chip";
import IconButton from "@mui/material/IconButton";
import Link from "@mui/material/Link";
import List from "@mui/material/List";
import ListItem from "@mui/material/ListItem";
import ListItemAvatar from "@mui/material/ListItemAvatar";
import ListItemText from "@mui/material/ListItemText";
import Stack from "@mui/material/Stack";
import Tooltip from "@mui/material/Tooltip";
import NextLink from "next/link";
import type { PlaylistSummary } from "@/lib/browse/types";
import { formatDuration } from "@/lib/browse/urls";
import Cover from "./Cover";
import { usePlaySource } from "./usePlaySource";

/** The chips that say where a playlist comes from and whether the viewer may change it. */
export function PlaylistChips({ playlist }: { playlist: PlaylistSummary }) {
  return (
    <Stack direction="row" spacing={0.5} component="span" sx={{ display: "inline-flex", verticalAlign: "middle" }}>
      {playlist.pluginId && <Chip component="span" size="small" color="secondary" variant="outlined" label={`From plugin ${playlist.pluginId}`} />}
      {playlist.readonly && <Chip component="span" size="small" icon={<Lock />} variant="outlined" label="Read-only" />}
      {playlist.public && <Chip component="span" size="small" variant="outlined" label="Public" />}
    </Stack>
  );
}

function PlaylistRow({ playlist }: { playlist: PlaylistSummary }) {
  const { play, busy, error } = usePlaySource();
  const href = `/playlists/${encodeURIComponent(playlist.id)}`;
  return (
    <ListItem
      divider
      data-testid="playlist-row"
      secondaryAction={
        <Tooltip title={error ?? "Play"}>
          <span>
            <IconButton edge="end" aria-label={`Play ${playlist.name}`} disabled={busy || playlist.songCount === 0} onClick={() => play("playlist", playlist.id)}>
              <PlayArrow />
            </IconButton>
          </span>
        </Tooltip>
      }
    >
      <ListItemAvatar>
        <Cover coverArt={playlist.coverArt} size={48} />
      </ListItemAvatar>
      <ListItemText
        primary={
          <Box component="span" sx={{ display: "flex", gap: 1, alignItems: "center", flexWrap: "wrap" }}>
            <Link component={NextLink} href={href} underline="hover" color="inherit">
              {playlist.name}
            </Link>
            <PlaylistChips playlist={playlist} />
          </Box>
        }
        secondary={`${playlist.songCount} ${playlist.songCount === 1 ? "song" : "songs"} · ${formatDuration(playlist.duration)} · by ${playlist.owner}`}
      />
    </ListItem>
  );
}

/** Playlists with cover, name, origin chips and a Play button ("Play <playlist>"). */
export default function PlaylistList({ playlists }: { playlists: PlaylistSummary[] }) {
  return (
    <List aria-label="Playlists">
      {playlists.map((p) => (
        <PlaylistRow key={p.id} playlist={p} />
      ))}
    </List>
  );
}
