/**
 * Lyrics as `getLyricsBySongId` answers them (OpenSubsonic `songLyrics`; lib/subsonic/handlers/lyrics.ts), and the
 * choices the lyrics pane makes: which of several lyrics to show, and which synced line is current.
 */
export interface LyricLine {
  /** Milliseconds from the start of the track; only on synced lyrics. */
  start?: number;
  value: string;
}

export interface StructuredLyrics {
  displayArtist?: string;
  displayTitle?: string;
  lang?: string;
  /** Milliseconds; positive shows lines sooner (OpenSubsonic). */
  offset?: number;
  synced: boolean;
  line: LyricLine[];
}

/** Synced lyrics win over unsynced ones (they can follow the music); otherwise the first that has any line. */
export function pickLyrics(list: readonly StructuredLyrics[] | undefined): StructuredLyrics | null {
  const usable = (list ?? []).filter((l) => l.line?.length);
  return usable.find((l) => l.synced) ?? usable[0] ?? null;
}

/**
 * The line sung at `positionMs`: the last line whose start (moved earlier by a positive offset) has been reached, or
 * -1 before the first line and for unsynced lyrics. Lines are sorted by start on the server, but a stray
 * out-of-order line must not hide the later ones, so this scans them all.
 */
export function activeLineIndex(lyrics: StructuredLyrics | null, positionMs: number): number {
  if (!lyrics?.synced) return -1;
  const offset = lyrics.offset ?? 0;
  let best = -1;
  let bestStart = -Infinity;
  lyrics.line.forEach((l, i) => {
    const start = (l.start ?? 0) - offset;
    if (start <= positionMs && start >= bestStart) {
      best = i;
      bestStart = start;
    }
  });
  return best;
}

/** "m:ss" for a lyric line's start or a track position (seconds). */
export function formatTime(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "0:00";
  const s = Math.floor(seconds);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}
