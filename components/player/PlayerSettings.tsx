"use client";
import SettingsIcon from "@mui/icons-material/Tune";
import Box from "@mui/material/Box";
import IconButton from "@mui/material/IconButton";
import MenuItem from "@mui/material/MenuItem";
import Popover from "@mui/material/Popover";
import TextField from "@mui/material/TextField";
import Tooltip from "@mui/material/Tooltip";
import Typography from "@mui/material/Typography";
import { useId, useState } from "react";
import type { StreamSettings } from "@/lib/player/subsonic-client";
import { usePlayerControls } from "./PlayerProvider";

const FORMATS: { value: StreamSettings["format"]; label: string }[] = [
  { value: "raw", label: "Original file" },
  { value: "opus", label: "Opus (transcoded)" },
  { value: "mp3", label: "MP3 (transcoded)" },
];
const BITRATES = [0, 64, 96, 128, 192, 256, 320];

/** Stream quality of this browser: the original file by default, or a transcode at a maximum bitrate. */
export default function PlayerSettings() {
  const p = usePlayerControls();
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const id = useId();
  const s = p.prefs.stream;
  return (
    <>
      <Tooltip title="Stream quality">
        <IconButton aria-label="Stream quality" aria-haspopup="dialog" aria-expanded={anchor !== null} onClick={(e) => setAnchor(e.currentTarget)}>
          <SettingsIcon />
        </IconButton>
      </Tooltip>
      <Popover
        open={anchor !== null}
        anchorEl={anchor}
        onClose={() => setAnchor(null)}
        anchorOrigin={{ vertical: "top", horizontal: "center" }}
        transformOrigin={{ vertical: "bottom", horizontal: "center" }}
        slotProps={{ paper: { role: "dialog", "aria-labelledby": `${id}-title` } }}
      >
        <Box sx={{ p: 2, display: "flex", flexDirection: "column", gap: 2, width: 260 }}>
          <Typography id={`${id}-title`} variant="subtitle2" component="h2">
            Stream quality
          </Typography>
          <TextField select size="small" label="Format" value={s.format} onChange={(e) => p.setStream({ ...s, format: e.target.value as StreamSettings["format"] })}>
            {FORMATS.map((f) => (
              <MenuItem key={f.value} value={f.value}>
                {f.label}
              </MenuItem>
            ))}
          </TextField>
          <TextField select size="small" label="Maximum bitrate" value={s.maxBitRate} onChange={(e) => p.setStream({ ...s, maxBitRate: Number(e.target.value) })}>
            {BITRATES.map((b) => (
              <MenuItem key={b} value={b}>
                {b === 0 ? "No limit" : `${b} kbps`}
              </MenuItem>
            ))}
          </TextField>
          <Typography variant="caption" color="text.secondary">
            Transcoding needs ffmpeg on the server; without it the original file is streamed.
          </Typography>
        </Box>
      </Popover>
    </>
  );
}
