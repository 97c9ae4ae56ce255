"use client";
import AutoAwesome from "@mui/icons-material/AutoAwesome";
import MoreVert from "@mui/icons-material/MoreVert";
import PlayArrow from "@mui/icons-material/PlayArrow";
import PlaylistAdd from "@mui/icons-material/PlaylistAdd";
import PlaylistPlay from "@mui/icons-material/PlaylistPlay";
import VolumeUp from "@mui/icons-material/VolumeUp";
import Box from "@mui/material/Box";
import IconButton from "@mui/material/IconButton";
import Link from "@mui/material/Link";
import ListItemIcon from "@mui/material/ListItemIcon";
import ListItemText from "@mui/material/ListItemText";
import Menu from "@mui/material/Menu";
import MenuItem from "@mui/material/MenuItem";
import Table from "@mui/material/Table";
import TableBody from "@mui/material/TableBody";
import TableCell from "@mui/material/TableCell";
import TableHead from "@mui/material/TableHead";
import TableRow from "@mui/material/TableRow";
import Typography from "@mui/material/Typography";
import NextLink from "next/link";
import { useState } from "react";
import { usePlayer } from "@/components/player/PlayerProvider";
import type { SongView } from "@/lib/browse/types";
import { formatDuration } from "@/lib/browse/urls";
import { visuallyHidden } from "./a11y";
import RatingControl from "./RatingControl";
import StarButton from "./StarButton";

interface Props {
  songs: SongView[];
  /** Show the album column (lists mixing albums: top songs, playlists, search, starred). */
  showAlbum?: boolean;
  /** Number rows by track number (an album) instead of position. */
  trackNumbers?: boolean;
  /** Accessible name of the table. */
  label: string;
}

/** The "more" menu of a song: Play next, Add to queue, Instant Mix. */
function SongMenu({ song }: { song: SongView }) {
  const player = usePlayer();
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const close = () => setAnchor(null);
  const t = song.track;
  return (
    <>
      <IconButton size="small" aria-label={`More actions for ${t.title}`} aria-haspopup="menu" aria-expanded={Boolean(anchor)} onClick={(e) => setAnchor(e.currentTarget)}>
        <MoreVert fontSize="small" />
      </IconButton>
      <Menu anchorEl={anchor} open={Boolean(anchor)} onClose={close}>
        <MenuItem onClick={() => (close(), player.addNext([t]))}>
          <ListItemIcon><PlaylistPlay fontSize="small" /></ListItemIcon>
          <ListItemText>Play next</ListItemText>
        </MenuItem>
        <MenuItem onClick={() => (close(), player.addToEnd([t]))}>
          <ListItemIcon><PlaylistAdd fontSize="small" /></ListItemIcon>
          <ListItemText>Add to queue</ListItemText>
        </MenuItem>
        <MenuItem onClick={() => (close(), void player.instantMix({ kind: "song", id: t.id }))}>
          <ListItemIcon><AutoAwesome fontSize="small" /></ListItemIcon>
          <ListItemText>Instant Mix</ListItemText>
        </MenuItem>
      </Menu>
    </>
  );
}

/**
 * A list of songs: Play plays the whole list from that row, the menu queues one song or starts
 * an Instant Mix from it. Controls are named after the song ("Play <title>", "Star <title>",
 * "More actions for <title>"); rows carry `data-testid="song-row"`.
 */
export default function SongList({ songs, showAlbum = false, trackNumbers = false, label }: Props) {
  const player = usePlayer();
  const tracks = songs.map((s) => s.track);
  const multiDisc = trackNumbers && new Set(songs.map((s) => s.discNumber)).size > 1;
  return (
    <Table size="small" aria-label={label}>
      <TableHead>
        <TableRow>
          <TableCell sx={{ width: 80 }}>#</TableCell>
          <TableCell>Title</TableCell>
          {showAlbum && <TableCell sx={{ display: { xs: "none", md: "table-cell" } }}>Album</TableCell>}
          <TableCell align="right">Time</TableCell>
          <TableCell sx={{ display: { xs: "none", sm: "table-cell" } }}>Rating</TableCell>
          <TableCell sx={{ width: 96 }}>
            <Box component="span" sx={visuallyHidden}>
              Actions
            </Box>
          </TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {songs.map((s, i) => {
          const t = s.track;
          const playing = player.current?.id === t.id;
          return (
            <TableRow key={`${t.id}-${i}`} hover selected={playing} data-testid="song-row" data-song-id={t.id}>
              <TableCell sx={{ whiteSpace: "nowrap" }}>
                <IconButton size="small" aria-label={`Play ${t.title}`} onClick={() => player.playTracks(tracks, i)}>
                  {playing ? <VolumeUp fontSize="small" /> : <PlayArrow fontSize="small" />}
                </IconButton>
                <Typography component="span" variant="body2" color="text.secondary" sx={{ ml: 0.5 }}>
                  {trackNumbers ? `${multiDisc ? `${s.discNumber}.` : ""}${t.track ?? ""}` : i + 1}
                </Typography>
              </TableCell>
              <TableCell>
                <Typography variant="body2" fontWeight={playing ? 600 : undefined}>
                  {t.title}
                </Typography>
                <Typography variant="caption" color="text.secondary">
                  {t.artistId ? (
                    <Link component={NextLink} href={`/artists/${encodeURIComponent(t.artistId)}`} color="inherit">
                      {t.artist}
                    </Link>
                  ) : (
                    t.artist
                  )}
                </Typography>
              </TableCell>
              {showAlbum && (
                <TableCell sx={{ display: { xs: "none", md: "table-cell" } }}>
                  {t.albumId ? (
                    <Link component={NextLink} href={`/albums/${encodeURIComponent(t.albumId)}`} color="inherit" variant="body2">
                      {t.album}
                    </Link>
                  ) : (
                    t.album
                  )}
                </TableCell>
              )}
              <TableCell align="right">{formatDuration(t.duration)}</TableCell>
              <TableCell sx={{ display: { xs: "none", sm: "table-cell" } }}>
                <RatingControl type="track" id={t.id} name={t.title} rating={s.rating} />
              </TableCell>
              <TableCell sx={{ whiteSpace: "nowrap" }}>
                <StarButton type="track" id={t.id} name={t.title} starred={s.starred} />
                <SongMenu song={s} />
              </TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}
