"use client";
import { useState } from "react";
import { apiFetch } from "@/components/common/api";
import { usePlayer } from "@/components/player/PlayerProvider";
import type { PlayerTrack } from "@/lib/browse/types";

/** Plays an album, artist or playlist from a card: its tracks are fetched on click (cards list many). */
export function usePlaySource() {
  const player = usePlayer();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function play(kind: "album" | "artist" | "playlist", id: string) {
    setBusy(true);
    setError(null);
    try {
      const { tracks } = await apiFetch<{ tracks: PlayerTrack[] }>(`/api/browse/tracks?${kind}=${encodeURIComponent(id)}`);
      if (tracks.length) player.playTracks(tracks);
      else setError("Nothing to play");
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }
  return { play, busy, error };
}
