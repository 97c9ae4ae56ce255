"use client";
import RefreshIcon from "@mui/icons-material/Refresh";
import UploadIcon from "@mui/icons-material/Upload";
import Alert from "@mui/material/Alert";
import Button from "@mui/material/Button";
import Chip from "@mui/material/Chip";
import Paper from "@mui/material/Paper";
import Snackbar from "@mui/material/Snackbar";
import Stack from "@mui/material/Stack";
import Table from "@mui/material/Table";
import TableBody from "@mui/material/TableBody";
import TableCell from "@mui/material/TableCell";
import TableHead from "@mui/material/TableHead";
import TableRow from "@mui/material/TableRow";
import TableSortLabel from "@mui/material/TableSortLabel";
import TextField from "@mui/material/TextField";
import Typography from "@mui/material/Typography";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMemo, useRef, useState } from "react";
import { ApiError, apiFetch } from "../common/api";
import ConfirmDialog from "../common/ConfirmDialog";
import EnableSwitch from "./EnableSwitch";
import type { PluginView } from "./types";

type SortKey = "id" | "name" | "version" | "updatedAt";

export default function PluginTable({ plugins, invalid }: { plugins: PluginView[]; invalid: { file: string; error: string }[] }) {
  const router = useRouter();
  const [filter, setFilter] = useState("");
  const [sort, setSort] = useState<{ key: SortKey; dir: "asc" | "desc" }>({ key: "id", dir: "asc" });
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<{ text: string; error?: boolean } | null>(null);
  const [pendingReplace, setPendingReplace] = useState<File | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  const rows = useMemo(() => {
    const f = filter.toLowerCase();
    const list = plugins.filter((p) => !f || [p.id, p.name, p.author, p.description, ...(p.capabilities ?? [])].some((s) => s.toLowerCase().includes(f)));
    return list.sort((a, b) => String(a[sort.key]).localeCompare(String(b[sort.key])) * (sort.dir === "asc" ? 1 : -1));
  }, [plugins, filter, sort]);

  async function toggle(p: PluginView, enabled: boolean) {
    setBusy(p.id);
    try {
      await apiFetch(`/api/plugin/${encodeURIComponent(p.id)}`, { method: "PUT", body: { enabled } });
      setMessage({ text: enabled ? "Plugin enabled" : "Plugin disabled" });
    } catch (err) {
      setMessage({ text: (err as Error).message, error: true });
    } finally {
      setBusy(null);
      router.refresh();
    }
  }

  async function rescan() {
    const res = await fetch("/api/plugin/rescan", { method: "POST" });
    setMessage(res.ok ? { text: "Plugins folder rescanned" } : { text: (await res.json().catch(() => ({}))).error ?? `Rescan failed (${res.status})`, error: true });
    router.refresh();
  }

  async function upload(file: File, replace: boolean) {
    const form = new FormData();
    form.append("file", file);
    if (replace) form.append("replace", "true");
    const res = await fetch("/api/plugin/upload", { method: "POST", body: form });
    const body = await res.json().catch(() => ({}));
    if (res.status === 409) setPendingReplace(file);
    else if (!res.ok) setMessage({ text: body.error ?? `Upload failed (${res.status})`, error: true });
    else setMessage({ text: body.replaced ? `Replaced ${body.id}; it is disabled until you enable it again` : `Installed ${body.id} (disabled)` });
    router.refresh();
  }

  const sortHeader = (key: SortKey, label: string) => (
    <TableSortLabel active={sort.key === key} direction={sort.dir} onClick={() => setSort((s) => ({ key, dir: s.key === key && s.dir === "asc" ? "desc" : "asc" }))}>
      {label}
    </TableSortLabel>
  );

  return (
    <Stack spacing={2}>
      <Stack direction="row" spacing={1} alignItems="center">
        <TextField size="small" label="Filter" value={filter} onChange={(e) => setFilter(e.target.value)} />
        <Button startIcon={<RefreshIcon />} onClick={rescan}>
          Rescan
        </Button>
        <Button startIcon={<UploadIcon />} variant="contained" onClick={() => fileInput.current?.click()}>
          Install package
        </Button>
        <input
          ref={fileInput}
          type="file"
          accept=".ndp"
          hidden
          data-testid="plugin-upload-input"
          onChange={(e) => {
            const f = e.target.files?.[0];
            e.target.value = "";
            if (f) void upload(f, false);
          }}
        />
      </Stack>
      {invalid.length > 0 && (
        <Alert severity="warning" data-testid="invalid-packages">
          <Typography variant="subtitle2">Packages in the plugins folder that could not be added:</Typography>
          {invalid.map((i) => (
            <div key={i.file}>
              <b>{i.file}</b>: {i.error}
            </div>
          ))}
        </Alert>
      )}
      <Paper variant="outlined">
        <Table size="small" aria-label="plugins">
          <TableHead>
            <TableRow>
              <TableCell>{sortHeader("id", "ID")}</TableCell>
              <TableCell>{sortHeader("name", "Name")}</TableCell>
              <TableCell>{sortHeader("version", "Version")}</TableCell>
              <TableCell>Author</TableCell>
              <TableCell>Capabilities</TableCell>
              <TableCell>Enabled</TableCell>
              <TableCell>{sortHeader("updatedAt", "Updated")}</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {rows.length === 0 && (
              <TableRow>
                <TableCell colSpan={7}>
                  <Typography color="text.secondary">No plugins. Drop .ndp packages into the plugins folder and rescan, or install one here.</Typography>
                </TableCell>
              </TableRow>
            )}
            {rows.map((p) => (
              <TableRow key={p.id} data-testid={`plugin-row-${p.id}`} hover>
                <TableCell>
                  <Link href={`/admin/plugins/${encodeURIComponent(p.id)}`}>{p.id}</Link>
                </TableCell>
                <TableCell>
                  <div>{p.name}</div>
                  <Typography variant="caption" color="text.secondary">
                    {p.description}
                  </Typography>
                </TableCell>
                <TableCell>
                  {p.version}
                  {p.pendingUpdate ? (
                    <Chip size="small" color="warning" label={`Waiting for approval: ${p.pendingUpdate}`} sx={{ ml: 1 }} data-testid={`update-pending-${p.id}`} />
                  ) : (
                    p.updateAvailable && <Chip size="small" color="secondary" label={`Update available: ${p.updateAvailable}`} sx={{ ml: 1 }} data-testid={`update-available-${p.id}`} />
                  )}
                </TableCell>
                <TableCell>{p.author}</TableCell>
                <TableCell>
                  {p.capabilities === null ? (
                    <Typography variant="caption" color="text.secondary">
                      (detected when enabled)
                    </Typography>
                  ) : (
                    p.capabilities.map((c) => <Chip key={c} size="small" label={c} sx={{ mr: 0.5 }} />)
                  )}
                </TableCell>
                <TableCell>
                  <EnableSwitch plugin={p} busy={busy === p.id} onToggle={(v) => toggle(p, v)} />
                </TableCell>
                <TableCell>{new Date(p.updatedAt).toLocaleString()}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Paper>
      {pendingReplace && (
        <ConfirmDialog
          title={`Replace ${pendingReplace.name}?`}
          message="A plugin with this id is installed. Replacing it disables the plugin (its settings are kept) until you enable it again."
          confirmLabel="Replace"
          onCancel={() => setPendingReplace(null)}
          onConfirm={() => {
            const f = pendingReplace;
            setPendingReplace(null);
            void upload(f, true);
          }}
        />
      )}
      <Snackbar open={Boolean(message)} autoHideDuration={5000} onClose={() => setMessage(null)}>
        {message ? (
          <Alert severity={message.error ? "error" : "success"} onClose={() => setMessage(null)} data-testid="plugin-message">
            {message.text}
          </Alert>
        ) : undefined}
      </Snackbar>
    </Stack>
  );
}
