/**
 * Addresses the listener pages use for images. The cover route answers with the session
 * cookie (Subsonic's getCoverArt needs Subsonic credentials, which a browser page does not hold).
 */

/** The session-authenticated cover image of a cover art id (`al-`, `mf-`, `ar-`, `pl-`), scaled to `size` pixels. */
export function coverUrl(coverArt: string, size: number): string {
  return `/api/cover/${encodeURIComponent(coverArt)}?size=${size}`;
}

/** `m:ss` or `h:mm:ss` for a duration in seconds. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, "0");
  return h ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
}
