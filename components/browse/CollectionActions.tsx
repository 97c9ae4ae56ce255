"use client";
import AutoAwesome from "@mui/icons-material/AutoAwesome";
import PlayArrow from "@mui/icons-material/PlayArrow";
import PlaylistAdd from "@mui/icons-material/PlaylistAdd";
import PlaylistPlay from "@mui/icons-material/PlaylistPlay";
import Shuffle from "@mui/icons-material/Shuffle";
import Button from "@mui/material/Button";
import Stack from "@mui/material/Stack";
import { usePlayer } from "@/components/player/PlayerProvider";
import type { InstantMixSeed } from "@/components/player/player-types";
import type { PlayerTrack } from "@/lib/browse/types";

/**
 * The buttons above an album, artist or playlist: Play, Shuffle, Play next, Add to queue and
 * (with a seed) Instant Mix. Accessible names: "Play <noun>", "Shuffle <noun>", "Play next",
 * "Add to queue", "Instant Mix".
 */
export default function CollectionActions({ tracks, noun, mixSeed }: { tracks: PlayerTrack[]; noun: "album" | "artist" | "playlist" | "songs"; mixSeed?: InstantMixSeed }) {
  const player = usePlayer();
  const none = tracks.length === 0;
  return (
    <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: "wrap" }}>
      <Button variant="contained" startIcon={<PlayArrow />} disabled={none} aria-label={`Play ${noun}`} onClick={() => player.playTracks(tracks)}>
        Play
      </Button>
      <Button variant="outlined" startIcon={<Shuffle />} disabled={none} aria-label={`Shuffle ${noun}`} onClick={() => player.playTracks(tracks, 0, { shuffle: true })}>
        Shuffle
      </Button>
      <Button variant="text" startIcon={<PlaylistPlay />} disabled={none} aria-label="Play next" onClick={() => player.addNext(tracks)}>
        Play next
      </Button>
      <Button variant="text" startIcon={<PlaylistAdd />} disabled={none} aria-label="Add to queue" onClick={() => player.addToEnd(tracks)}>
        Add to queue
      </Button>
      {mixSeed && (
        <Button variant="text" startIcon={<AutoAwesome />} aria-label="Instant Mix" onClick={() => void player.instantMix(mixSeed)}>
          Instant Mix
        </Button>
      )}
    </Stack>
  );
}
