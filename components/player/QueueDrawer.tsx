"use client";
import ArrowDownwardIcon from "@mui/icons-material/ArrowDownward";
import ArrowUpwardIcon from "@mui/icons-material/ArrowUpward";
import CloseIcon from "@mui/icons-material/Close";
import DeleteOutlineIcon from "@mui/icons-material/DeleteOutline";
import DragIndicatorIcon from "@mui/icons-material/DragIndicator";
import Box from "@mui/material/Box";
import Button from "@mui/material/Button";
import Drawer from "@mui/material/Drawer";
import IconButton from "@mui/material/IconButton";
import Typography from "@mui/material/Typography";
import { useState } from "react";
import { formatTime } from "@/lib/player/lyrics";
import { usePlayerControls } from "./PlayerProvider";

/**
 * The play queue: jump to a track, reorder (drag, or the move buttons for keyboards and screen readers), remove,
 * clear. The current entry carries `aria-current`.
 */
// Stable React keys per queued entry, so a moved row keeps its DOM node (and the keyboard focus on its move button).
const entryKeys = new WeakMap<object, number>();
let nextKey = 0;
function keysFor(tracks: readonly object[]): string[] {
  const seen = new Set<number>();
  return tracks.map((t, i) => {
    let k = entryKeys.get(t);
    if (k === undefined) entryKeys.set(t, (k = nextKey++));
    if (seen.has(k)) return `${k}-${i}`;
    seen.add(k);
    return String(k);
  });
}

export default function QueueDrawer({ open, onClose }: { open: boolean; onClose: () => void }) {
  const p = usePlayerControls();
  const [dragFrom, setDragFrom] = useState<number | null>(null);
  const { tracks, index } = p.queue;
  const keys = keysFor(tracks);

  return (
    <Drawer anchor="right" open={open} onClose={onClose} slotProps={{ paper: { sx: { width: { xs: "100%", sm: 420 } } } }}>
      <Box component="section" aria-labelledby="queue-heading" sx={{ display: "flex", flexDirection: "column", height: "100%" }}>
        <Box sx={{ display: "flex", alignItems: "center", px: 2, py: 1.5, gap: 1 }}>
          <Typography id="queue-heading" variant="h6" component="h2" sx={{ flexGrow: 1 }}>
            Queue
          </Typography>
          <Button size="small" onClick={p.clear} disabled={tracks.length === 0}>
            Clear queue
          </Button>
          <IconButton aria-label="Close queue" onClick={onClose}>
            <CloseIcon />
          </IconButton>
        </Box>
        {tracks.length === 0 ? (
          <Typography sx={{ px: 2 }} color="text.secondary">
            The queue is empty. Play an album, or add songs with “Play next” and “Add to queue”.
          </Typography>
        ) : (
          <Box component="ol" aria-label="Queued tracks" data-testid="queue-list" sx={{ listStyle: "none", m: 0, p: 0, overflowY: "auto" }}>
            {tracks.map((t, i) => (
              <Box
                component="li"
                key={keys[i]}
                data-testid="queue-item"
                aria-current={i === index ? "true" : undefined}
                draggable
                onDragStart={(e) => {
                  setDragFrom(i);
                  e.dataTransfer.effectAllowed = "move";
                }}
                onDragOver={(e) => dragFrom !== null && e.preventDefault()}
                onDrop={(e) => {
                  e.preventDefault();
                  if (dragFrom !== null) p.move(dragFrom, i);
                  setDragFrom(null);
                }}
                onDragEnd={() => setDragFrom(null)}
                sx={{ display: "flex", alignItems: "center", gap: 0.5, px: 1, py: 0.5, bgcolor: i === index ? "action.selected" : undefined, opacity: dragFrom === i ? 0.5 : 1 }}
              >
                <DragIndicatorIcon fontSize="small" color="disabled" aria-hidden sx={{ cursor: "grab" }} />
                <Box
                  component="button"
                  type="button"
                  onClick={() => p.jumpTo(i)}
                  aria-label={`Play ${t.title} by ${t.artist}`}
                  sx={{ flexGrow: 1, minWidth: 0, textAlign: "left", border: 0, background: "none", p: 0.5, cursor: "pointer", color: "inherit", font: "inherit", borderRadius: 1, "&:focus-visible": { outline: "2px solid", outlineColor: "primary.main" } }}
                >
                  <Typography variant="body2" noWrap fontWeight={i === index ? 700 : 400} data-testid="queue-title">
                    {t.title}
                  </Typography>
                  <Typography variant="caption" color="text.secondary" noWrap component="div">
                    {t.artist} · {formatTime(t.duration)}
                  </Typography>
                </Box>
                <IconButton size="small" aria-label={`Move ${t.title} up`} disabled={i === 0} onClick={() => p.move(i, i - 1)}>
                  <ArrowUpwardIcon fontSize="small" />
                </IconButton>
                <IconButton size="small" aria-label={`Move ${t.title} down`} disabled={i === tracks.length - 1} onClick={() => p.move(i, i + 1)}>
                  <ArrowDownwardIcon fontSize="small" />
                </IconButton>
                <IconButton size="small" aria-label={`Remove ${t.title} from the queue`} onClick={() => p.remove(i)}>
                  <DeleteOutlineIcon fontSize="small" />
                </IconButton>
              </Box>
            ))}
          </Box>
        )}
      </Box>
    </Drawer>
  );
}
