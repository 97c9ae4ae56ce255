"use client";
import RestoreIcon from "@mui/icons-material/Restore";
import Alert from "@mui/material/Alert";
import Button from "@mui/material/Button";
import Card from "@mui/material/Card";
import CardContent from "@mui/material/CardContent";
import CardHeader from "@mui/material/CardHeader";
import Chip from "@mui/material/Chip";
import Table from "@mui/material/Table";
import TableBody from "@mui/material/TableBody";
import TableCell from "@mui/material/TableCell";
import TableHead from "@mui/material/TableHead";
import TableRow from "@mui/material/TableRow";
import Typography from "@mui/material/Typography";
import { useState } from "react";
import type { HistoryEntry } from "@/lib/plugin-catalog/types";
import { apiFetch } from "../../common/api";
import ConfirmDialog from "../../common/ConfirmDialog";
import { useJson } from "../catalog/useJson";

const SOURCES: Record<HistoryEntry["source"], string> = { upload: "uploaded", catalog: "from catalog", folder: "plugins folder", rollback: "rollback" };

/**
 * The packages kept for this plugin (`Plugins.KeepPackages`), newest first, with Rollback
 * for each one that is not running; the settings are kept across a rollback.
 */
export default function HistoryCard({ pluginId, revision, onChanged }: { pluginId: string; revision: string; onChanged: () => void }) {
  const base = `/api/plugin/${encodeURIComponent(pluginId)}`;
  const { data: history, reload } = useJson<HistoryEntry[]>(`${base}/history`, revision);
  const [confirm, setConfirm] = useState<HistoryEntry | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ text: string; error?: boolean } | null>(null);

  async function rollback(entry: HistoryEntry) {
    setConfirm(null);
    setBusy(true);
    setMessage(null);
    try {
      const now = await apiFetch<HistoryEntry>(`${base}/rollback`, { method: "POST", body: { sha256: entry.sha256 } });
      setMessage({ text: `Rolled back to ${now.version ?? entry.version}; the settings are kept` });
      onChanged();
    } catch (err) {
      setMessage({ text: (err as Error).message, error: true });
    } finally {
      setBusy(false);
      await reload();
    }
  }

  if (!history || history.length === 0) return null;
  return (
    <Card variant="outlined" data-testid="history-card" component="section" aria-labelledby="history-card-title">
      <CardHeader
        title={<span id="history-card-title">Version history</span>}
        subheader="Packages kept on this server (Plugins.KeepPackages); roll back to any of them"
        slotProps={{ title: { variant: "h6", component: "h2" } }}
      />
      <CardContent>
        {message && (
          <Alert severity={message.error ? "error" : "success"} sx={{ mb: 1 }} onClose={() => setMessage(null)} data-testid="history-message">
            {message.text}
          </Alert>
        )}
        <Table size="small" aria-label="version history">
          <TableHead>
            <TableRow>
              <TableCell>Version</TableCell>
              <TableCell>Installed</TableCell>
              <TableCell>Source</TableCell>
              <TableCell>SHA-256</TableCell>
              <TableCell align="right">Action</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {history.map((h) => (
              <TableRow key={h.sha256} data-testid={`history-${h.version}`} selected={h.current}>
                <TableCell>{h.version}</TableCell>
                <TableCell>{new Date(h.installedAt).toLocaleString()}</TableCell>
                <TableCell>{SOURCES[h.source] ?? h.source}</TableCell>
                <TableCell>
                  <code title={h.sha256}>{h.sha256.slice(0, 12)}…</code>
                </TableCell>
                <TableCell align="right">
                  {h.current ? (
                    <Chip size="small" color="primary" label="Running" />
                  ) : (
                    <Button size="small" startIcon={<RestoreIcon />} disabled={busy} onClick={() => setConfirm(h)} aria-label={`roll back to ${h.version}`}>
                      Rollback
                    </Button>
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
        {history.length === 1 && (
          <Typography variant="caption" color="text.secondary">
            No earlier version is kept yet: the next install or update adds one.
          </Typography>
        )}
      </CardContent>
      {confirm && (
        <ConfirmDialog
          title={`Roll back to ${confirm.version}?`}
          message={`The running package is replaced by version ${confirm.version} (${confirm.sha256.slice(0, 12)}…). The plugin's settings and stored data are kept.`}
          confirmLabel="Roll back"
          onCancel={() => setConfirm(null)}
          onConfirm={() => void rollback(confirm)}
        />
      )}
    </Card>
  );
}
