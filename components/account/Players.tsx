"use client";
import Alert from "@mui/material/Alert";
import Card from "@mui/material/Card";
import CardContent from "@mui/material/CardContent";
import Typography from "@mui/material/Typography";
import { useEffect, useState } from "react";
import { apiFetch } from "../common/api";
import { bitRateLabel } from "../common/bit-rates";
import PlayersTable, { type PlayerRow } from "./PlayersTable";

/** What the account card needs from GET /api/transcoding. */
interface TranscodingInfo {
  available: boolean;
  unavailableReason: string | null;
  userMaxBitRate: number;
  players: PlayerRow[];
}

/**
 * The signed-in user's players (Subsonic clients and this web player, registered when they
 * report playback or scrobble) with a max bit rate each, as Navidrome's Players page.
 */
export default function Players({ userId }: { userId: string }) {
  const [info, setInfo] = useState<TranscodingInfo | null>(null);
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);

  useEffect(() => {
    apiFetch<TranscodingInfo>("/api/transcoding")
      .then(setInfo)
      .catch((err: Error) => setStatus({ ok: false, text: err.message }));
  }, []);

  async function setCap(player: PlayerRow, kbps: number) {
    setStatus(null);
    try {
      const saved = await apiFetch<PlayerRow>(`/api/transcoding/player/${player.id}`, { method: "PUT", body: { maxBitRate: kbps } });
      setInfo((i) => i && { ...i, players: i.players.map((p) => (p.id === saved.id ? { ...p, maxBitRate: saved.maxBitRate } : p)) });
      setStatus({ ok: true, text: `${player.name}: ${bitRateLabel(saved.maxBitRate)}` });
    } catch (err) {
      setStatus({ ok: false, text: (err as Error).message });
    }
  }

  // An admin is sent every user's players; this card is about one's own.
  const mine = info?.players.filter((p) => p.userId === userId) ?? [];
  return (
    <Card variant="outlined">
      <CardContent>
        <Typography variant="h6" component="h2" gutterBottom>
          Players
        </Typography>
        <Typography color="text.secondary" sx={{ mb: 2 }}>
          A max bit rate makes the server transcode streams to this player down to that rate.
        </Typography>
        {info && !info.available && (
          <Alert severity="warning" sx={{ mb: 2 }}>
            Transcoding unavailable ({info.unavailableReason}): streams are sent as the original files, whatever the limit.
          </Alert>
        )}
        {info && info.userMaxBitRate > 0 && (
          <Alert severity="info" sx={{ mb: 2 }} data-testid="user-max-bit-rate">
            An administrator limits your streams to {bitRateLabel(info.userMaxBitRate)} on every player; a player&apos;s own limit can only lower it.
          </Alert>
        )}
        {status && (
          <Alert severity={status.ok ? "success" : "error"} sx={{ mb: 2 }} role="status" data-testid="players-status">
            {status.text}
          </Alert>
        )}
        {!info && !status && <Typography color="text.secondary">Loading players…</Typography>}
        {info && mine.length === 0 && <Typography color="text.secondary">No players yet: players appear when a client plays music</Typography>}
        {mine.length > 0 && <PlayersTable players={mine} onChange={setCap} />}
      </CardContent>
    </Card>
  );
}
