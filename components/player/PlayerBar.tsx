"use client";
import PauseIcon from "@mui/icons-material/Pause";
import PlayArrowIcon from "@mui/icons-material/PlayArrow";
import QueueMusicIcon from "@mui/icons-material/QueueMusic";
import RepeatIcon from "@mui/icons-material/Repeat";
import RepeatOneIcon from "@mui/icons-material/RepeatOne";
import ShuffleIcon from "@mui/icons-material/Shuffle";
import SkipNextIcon from "@mui/icons-material/SkipNext";
import SkipPreviousIcon from "@mui/icons-material/SkipPrevious";
import SubjectIcon from "@mui/icons-material/Subject";
import VolumeOffIcon from "@mui/icons-material/VolumeOff";
import VolumeUpIcon from "@mui/icons-material/VolumeUp";
import Avatar from "@mui/material/Avatar";
import Box from "@mui/material/Box";
import IconButton from "@mui/material/IconButton";
import Paper from "@mui/material/Paper";
import Slider from "@mui/material/Slider";
import Snackbar from "@mui/material/Snackbar";
import Tooltip from "@mui/material/Tooltip";
import Typography from "@mui/material/Typography";
import Link from "next/link";
import { useState } from "react";
import { formatTime } from "@/lib/player/lyrics";
import LyricsPane from "./LyricsPane";
import PlayerSettings from "./PlayerSettings";
import { usePlayerControls } from "./PlayerProvider";
import QueueDrawer from "./QueueDrawer";

const focusRing = { "&:focus-visible": { outline: "2px solid", outlineColor: "primary.main", outlineOffset: 2 } };

/**
 * The bottom bar: now playing, transport, seek, volume, and the queue, lyrics and settings panes. Shown once
 * something is queued; the player itself (provider) is always mounted.
 */
export default function PlayerBar() {
  const p = usePlayerControls();
  const [queueOpen, setQueueOpen] = useState(false);
  const [lyricsOpen, setLyricsOpen] = useState(false);
  const track = p.current;
  const repeatLabel = { off: "Repeat: off", all: "Repeat: all", one: "Repeat: one" }[p.prefs.repeat];

  return (
    <>
      {track && (
        <Paper
          component="section"
          aria-label="Player"
          elevation={8}
          square
          sx={{ position: "fixed", left: 0, right: 0, bottom: 0, zIndex: (t) => t.zIndex.appBar, px: 2, py: 1, display: "flex", alignItems: "center", gap: 2, flexWrap: { xs: "wrap", md: "nowrap" } }}
        >
          <Box sx={{ display: "flex", alignItems: "center", gap: 1.5, minWidth: 0, width: { xs: "100%", md: 260 }, flexShrink: 0 }}>
            <Avatar variant="rounded" alt="" src={track.coverArt && p.client ? p.client.coverArtUrl(track.coverArt, 96) : undefined} sx={{ width: 48, height: 48 }}>
              ♪
            </Avatar>
            <Box sx={{ minWidth: 0 }}>
              <Typography variant="body2" noWrap fontWeight={600} data-testid="player-title">
                {track.albumId ? (
                  <Box component={Link} href={`/albums/${encodeURIComponent(track.albumId)}`} sx={{ color: "inherit", textDecoration: "none", "&:hover": { textDecoration: "underline" }, ...focusRing }}>
                    {track.title}
                  </Box>
                ) : (
                  track.title
                )}
              </Typography>
              <Typography variant="caption" color="text.secondary" noWrap component="div" data-testid="player-artist">
                {track.artistId ? (
                  <Box component={Link} href={`/artists/${encodeURIComponent(track.artistId)}`} sx={{ color: "inherit", textDecoration: "none", "&:hover": { textDecoration: "underline" }, ...focusRing }}>
                    {track.artist}
                  </Box>
                ) : (
                  track.artist
                )}
              </Typography>
            </Box>
          </Box>

          <Box sx={{ display: "flex", alignItems: "center" }} role="group" aria-label="Transport">
            <Tooltip title="Shuffle">
              <IconButton aria-label="Shuffle" aria-pressed={p.prefs.shuffle} color={p.prefs.shuffle ? "primary" : "default"} onClick={p.toggleShuffle} sx={focusRing}>
                <ShuffleIcon />
              </IconButton>
            </Tooltip>
            <Tooltip title="Previous (Shift+←)">
              <IconButton aria-label="Previous track" onClick={p.previous} sx={focusRing}>
                <SkipPreviousIcon />
              </IconButton>
            </Tooltip>
            <Tooltip title={p.playing ? "Pause (Space)" : "Play (Space)"}>
              <IconButton aria-label={p.playing ? "Pause" : "Play"} onClick={p.toggle} size="large" color="primary" sx={focusRing}>
                {p.playing ? <PauseIcon fontSize="large" /> : <PlayArrowIcon fontSize="large" />}
              </IconButton>
            </Tooltip>
            <Tooltip title="Next (Shift+→)">
              <IconButton aria-label="Next track" onClick={p.next} sx={focusRing}>
                <SkipNextIcon />
              </IconButton>
            </Tooltip>
            <Tooltip title={repeatLabel}>
              <IconButton aria-label={repeatLabel} color={p.prefs.repeat === "off" ? "default" : "primary"} onClick={p.cycleRepeat} sx={focusRing}>
                {p.prefs.repeat === "one" ? <RepeatOneIcon /> : <RepeatIcon />}
              </IconButton>
            </Tooltip>
          </Box>

          <Box sx={{ display: "flex", alignItems: "center", gap: 1.5, flexGrow: 1, minWidth: 200 }}>
            <Typography variant="caption" data-testid="player-position" sx={{ minWidth: 36, textAlign: "right" }}>
              {formatTime(p.position)}
            </Typography>
            <Slider
              size="small"
              min={0}
              max={Math.max(p.duration, 0.01)}
              step={0.1}
              value={Math.min(p.position, p.duration || p.position)}
              onChange={(_, v) => p.seek(v as number)}
              slotProps={{ input: { "aria-label": "Seek", "aria-valuetext": `${formatTime(p.position)} of ${formatTime(p.duration)}` } }}
            />
            <Typography variant="caption" sx={{ minWidth: 36 }} data-testid="player-duration">
              {formatTime(p.duration)}
            </Typography>
          </Box>

          <Box sx={{ display: "flex", alignItems: "center", gap: 0.5 }}>
            <Tooltip title="Lyrics">
              <IconButton aria-label="Lyrics" aria-expanded={lyricsOpen} onClick={() => setLyricsOpen((o) => !o)} color={lyricsOpen ? "primary" : "default"} sx={focusRing}>
                <SubjectIcon />
              </IconButton>
            </Tooltip>
            <Tooltip title="Queue">
              <IconButton aria-label="Queue" aria-expanded={queueOpen} onClick={() => setQueueOpen(true)} sx={focusRing}>
                <QueueMusicIcon />
              </IconButton>
            </Tooltip>
            <PlayerSettings />
            <Tooltip title={p.prefs.muted ? "Unmute" : "Mute"}>
              <IconButton aria-label={p.prefs.muted ? "Unmute" : "Mute"} onClick={p.toggleMute} sx={focusRing}>
                {p.prefs.muted || p.prefs.volume === 0 ? <VolumeOffIcon /> : <VolumeUpIcon />}
              </IconButton>
            </Tooltip>
            <Slider
              size="small"
              sx={{ width: 90 }}
              min={0}
              max={1}
              step={0.05}
              value={p.prefs.muted ? 0 : p.prefs.volume}
              onChange={(_, v) => p.setVolume(v as number)}
              slotProps={{ input: { "aria-label": "Volume", "aria-valuetext": `${Math.round((p.prefs.muted ? 0 : p.prefs.volume) * 100)} %` } }}
            />
          </Box>
        </Paper>
      )}
      {track && lyricsOpen && <LyricsPane onClose={() => setLyricsOpen(false)} />}
      <QueueDrawer open={queueOpen} onClose={() => setQueueOpen(false)} />
      <Snackbar
        open={p.message !== null}
        autoHideDuration={6000}
        onClose={p.clearMessage}
        message={<span data-testid="player-message">{p.message}</span>}
        anchorOrigin={{ vertical: "top", horizontal: "center" }}
      />
    </>
  );
}
