"use client";
import AddIcon from "@mui/icons-material/Add";
import DeleteIcon from "@mui/icons-material/Delete";
import EditIcon from "@mui/icons-material/Edit";
import SyncIcon from "@mui/icons-material/Sync";
import Alert from "@mui/material/Alert";
import Button from "@mui/material/Button";
import Dialog from "@mui/material/Dialog";
import DialogActions from "@mui/material/DialogActions";
import DialogContent from "@mui/material/DialogContent";
import DialogTitle from "@mui/material/DialogTitle";
import IconButton from "@mui/material/IconButton";
import LinearProgress from "@mui/material/LinearProgress";
import Paper from "@mui/material/Paper";
import Stack from "@mui/material/Stack";
import Table from "@mui/material/Table";
import TableBody from "@mui/material/TableBody";
import TableCell from "@mui/material/TableCell";
import TableHead from "@mui/material/TableHead";
import TableRow from "@mui/material/TableRow";
import TextField from "@mui/material/TextField";
import Typography from "@mui/material/Typography";
import { useCallback, useEffect, useState } from "react";
import { ApiError, apiFetch } from "../common/api";
import ConfirmDialog from "../common/ConfirmDialog";

export interface LibraryRow {
  id: number;
  name: string;
  path: string;
  totalSongs: number;
  totalAlbums: number;
  totalArtists: number;
  totalSize: number;
  totalDuration: number;
  lastScanAt: string | null;
}

export interface ScanStatusView {
  scanning: boolean;
  count: number;
  changed: number;
  removed: number;
  errors: { path: string; error: string }[];
  startedAt: string | null;
  finishedAt: string | null;
}

function size(bytes: number): string {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let i = 0;
  while (bytes >= 1000 && i < units.length - 1) {
    bytes /= 1000;
    i++;
  }
  return `${bytes.toFixed(i ? 1 : 0)} ${units[i]}`;
}

function duration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return h ? `${h} h ${m} min` : `${m} min ${Math.round(seconds % 60)} s`;
}

export default function LibraryAdmin({ initialLibraries, initialStatus }: { initialLibraries: LibraryRow[]; initialStatus: ScanStatusView }) {
  const [libraries, setLibraries] = useState(initialLibraries);
  const [status, setStatus] = useState(initialStatus);
  const [editing, setEditing] = useState<LibraryRow | "new" | null>(null);
  const [deleting, setDeleting] = useState<LibraryRow | null>(null);
  const [error, setError] = useState<string | null>(null);

  const reload = useCallback(async () => {
    setLibraries(await apiFetch<LibraryRow[]>("/api/library"));
  }, []);

  // While a scan runs, follow its progress; refresh the statistics when it ends.
  useEffect(() => {
    if (!status.scanning) return;
    const timer = setInterval(async () => {
      const next = await apiFetch<ScanStatusView>("/api/scan");
      setStatus(next);
      if (!next.scanning) await reload();
    }, 700);
    return () => clearInterval(timer);
  }, [status.scanning, reload]);

  async function scan(full: boolean) {
    setError(null);
    try {
      setStatus(await apiFetch<ScanStatusView>("/api/scan", { method: "POST", body: { full } }));
    } catch (err) {
      setError((err as Error).message);
    }
  }

  async function remove(l: LibraryRow) {
    setError(null);
    try {
      await apiFetch(`/api/library/${l.id}`, { method: "DELETE" });
      await reload();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setDeleting(null);
    }
  }

  return (
    <Stack spacing={2}>
      <Stack direction="row" spacing={1}>
        <Button variant="contained" startIcon={<SyncIcon />} disabled={status.scanning} onClick={() => scan(false)}>
          Scan now
        </Button>
        <Button variant="outlined" disabled={status.scanning} onClick={() => scan(true)}>
          Full rescan
        </Button>
        <Button variant="outlined" startIcon={<AddIcon />} onClick={() => setEditing("new")}>
          Add library
        </Button>
      </Stack>
      {error && <Alert severity="error">{error}</Alert>}
      <Paper variant="outlined" sx={{ p: 2 }} data-testid="scan-status">
        {status.scanning ? (
          <>
            <Typography>Scanning… {status.count} files examined, {status.changed} read</Typography>
            <LinearProgress sx={{ mt: 1 }} />
          </>
        ) : status.finishedAt ? (
          <Typography>
            Last scan finished {new Date(status.finishedAt).toLocaleString()}: {status.count} files, {status.changed} read, {status.removed} removed
            {status.errors.length ? `, ${status.errors.length} could not be read` : ""}.
          </Typography>
        ) : (
          <Typography>No scan has run since the server started.</Typography>
        )}
        {status.errors.length > 0 && (
          <Alert severity="warning" sx={{ mt: 1 }}>
            {status.errors.slice(0, 10).map((e) => (
              <div key={e.path}>
                {e.path}: {e.error}
              </div>
            ))}
          </Alert>
        )}
      </Paper>
      <Paper variant="outlined">
        <Table size="small" aria-label="libraries">
          <TableHead>
            <TableRow>
              <TableCell>Name</TableCell>
              <TableCell>Folder</TableCell>
              <TableCell align="right">Songs</TableCell>
              <TableCell align="right">Albums</TableCell>
              <TableCell align="right">Artists</TableCell>
              <TableCell align="right">Size</TableCell>
              <TableCell align="right">Duration</TableCell>
              <TableCell>Last scan</TableCell>
              <TableCell />
            </TableRow>
          </TableHead>
          <TableBody>
            {libraries.length === 0 && (
              <TableRow>
                <TableCell colSpan={9}>
                  <Typography color="text.secondary">No libraries yet. Add one to start scanning music.</Typography>
                </TableCell>
              </TableRow>
            )}
            {libraries.map((l) => (
              <TableRow key={l.id} data-testid={`library-${l.id}`}>
                <TableCell>{l.name}</TableCell>
                <TableCell sx={{ fontFamily: "monospace" }}>{l.path}</TableCell>
                <TableCell align="right">{l.totalSongs}</TableCell>
                <TableCell align="right">{l.totalAlbums}</TableCell>
                <TableCell align="right">{l.totalArtists}</TableCell>
                <TableCell align="right">{size(l.totalSize)}</TableCell>
                <TableCell align="right">{duration(l.totalDuration)}</TableCell>
                <TableCell>{l.lastScanAt ? new Date(l.lastScanAt).toLocaleString() : "never"}</TableCell>
                <TableCell align="right">
                  <IconButton aria-label={`edit ${l.name}`} onClick={() => setEditing(l)}>
                    <EditIcon />
                  </IconButton>
                  <IconButton aria-label={`delete ${l.name}`} onClick={() => setDeleting(l)} disabled={libraries.length <= 1}>
                    <DeleteIcon />
                  </IconButton>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Paper>
      {editing && <LibraryDialog library={editing === "new" ? null : editing} onClose={() => setEditing(null)} onSaved={async () => (setEditing(null), await reload())} />}
      {deleting && (
        <ConfirmDialog
          title={`Delete ${deleting.name}?`}
          message="The library and its catalog are removed from the server. The files on disk are not touched."
          confirmLabel="Delete"
          onCancel={() => setDeleting(null)}
          onConfirm={() => remove(deleting)}
        />
      )}
    </Stack>
  );
}

function LibraryDialog({ library, onClose, onSaved }: { library: LibraryRow | null; onClose: () => void; onSaved: () => Promise<void> }) {
  const [name, setName] = useState(library?.name ?? "");
  const [folder, setFolder] = useState(library?.path ?? "");
  const [fields, setFields] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);

  async function save() {
    setFields({});
    setError(null);
    try {
      await apiFetch(library ? `/api/library/${library.id}` : "/api/library", { method: library ? "PUT" : "POST", body: { name, path: folder } });
      await onSaved();
    } catch (err) {
      if (err instanceof ApiError) setFields(err.fields);
      setError((err as Error).message);
    }
  }

  return (
    <Dialog open onClose={onClose} fullWidth>
      <DialogTitle>{library ? "Edit library" : "Add library"}</DialogTitle>
      <DialogContent>
        <Stack spacing={2} sx={{ mt: 1 }}>
          {error && <Alert severity="error">{error}</Alert>}
          <TextField label="Name" required value={name} onChange={(e) => setName(e.target.value)} error={!!fields.name} helperText={fields.name} />
          <TextField label="Folder on the server" required value={folder} onChange={(e) => setFolder(e.target.value)} error={!!fields.path} helperText={fields.path ?? "An absolute path; it is scanned with the next scan."} />
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button variant="contained" onClick={save}>
          Save
        </Button>
      </DialogActions>
    </Dialog>
  );
}
