"use client";
import CloseIcon from "@mui/icons-material/Close";
import Box from "@mui/material/Box";
import IconButton from "@mui/material/IconButton";
import Paper from "@mui/material/Paper";
import Typography from "@mui/material/Typography";
import { useEffect, useRef, useState } from "react";
import { activeLineIndex, pickLyrics, type StructuredLyrics } from "@/lib/player/lyrics";
import { usePlayerControls } from "./PlayerProvider";

type Loaded = { id: string; lyrics: StructuredLyrics | null; error?: string };

/**
 * Lyrics of the current track from `getLyricsBySongId` (tags, sidecar files or a lyrics plugin, per LyricsPriority).
 * Synced lyrics follow the music: the current line is highlighted (`aria-current`) and scrolled to the middle.
 */
export default function LyricsPane({ onClose }: { onClose: () => void }) {
  const p = usePlayerControls();
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const listRef = useRef<HTMLOListElement>(null);
  const trackId = p.current?.id;

  useEffect(() => {
    if (!trackId || !p.client) return;
    let cancelled = false;
    p.client
      .call<{ lyricsList?: { structuredLyrics?: StructuredLyrics[] } }>("getLyricsBySongId", { id: trackId })
      .then((r) => !cancelled && setLoaded({ id: trackId, lyrics: pickLyrics(r.lyricsList?.structuredLyrics) }))
      .catch((err: Error) => !cancelled && setLoaded({ id: trackId, lyrics: null, error: err.message }));
    return () => {
      cancelled = true;
    };
  }, [trackId, p.client]);

  const current = loaded?.id === trackId ? loaded : null;
  const lyrics = current?.lyrics ?? null;
  const active = activeLineIndex(lyrics, p.position * 1000);

  useEffect(() => {
    const list = listRef.current;
    const line = active >= 0 ? (list?.children[active] as HTMLElement | undefined) : undefined;
    if (!list || !line) return;
    list.scrollTo({ top: line.offsetTop - list.clientHeight / 2 + line.clientHeight / 2, behavior: "smooth" });
  }, [active]);

  return (
    <Paper
      component="section"
      aria-labelledby="lyrics-heading"
      elevation={6}
      sx={{ position: "fixed", right: 16, bottom: 104, width: { xs: "calc(100% - 32px)", sm: 380 }, maxHeight: "50vh", display: "flex", flexDirection: "column", zIndex: (t) => t.zIndex.appBar }}
    >
      <Box sx={{ display: "flex", alignItems: "center", px: 2, pt: 1 }}>
        <Typography id="lyrics-heading" variant="subtitle1" component="h2" sx={{ flexGrow: 1 }}>
          Lyrics{lyrics ? (lyrics.synced ? " (synced)" : "") : ""}
        </Typography>
        <IconButton aria-label="Close lyrics" onClick={onClose} size="small">
          <CloseIcon fontSize="small" />
        </IconButton>
      </Box>
      {!current ? (
        <Typography sx={{ px: 2, pb: 2 }} color="text.secondary">
          Loading lyrics…
        </Typography>
      ) : !lyrics ? (
        <Typography sx={{ px: 2, pb: 2 }} color="text.secondary" data-testid="lyrics-empty">
          {current.error ? `Lyrics could not be loaded: ${current.error}` : "No lyrics for this song (none in its tags, beside the file, or from a lyrics plugin)."}
        </Typography>
      ) : (
        <Box
          component="ol"
          ref={listRef}
          data-testid="lyrics-lines"
          data-synced={String(lyrics.synced)}
          sx={{ listStyle: "none", m: 0, px: 2, pb: 2, overflowY: "auto", position: "relative" }}
        >
          {lyrics.line.map((l, i) => (
            <Box
              component="li"
              key={i}
              aria-current={i === active ? "true" : undefined}
              sx={{
                py: 0.5,
                fontSize: lyrics.synced ? "1.05rem" : "0.95rem",
                fontWeight: i === active ? 700 : 400,
                color: lyrics.synced && i !== active ? "text.secondary" : "text.primary",
                transition: "color 0.2s",
                minHeight: "1.5em",
              }}
            >
              {l.value}
            </Box>
          ))}
        </Box>
      )}
    </Paper>
  );
}
