"use client";
import AddIcon from "@mui/icons-material/Add";
import DeleteIcon from "@mui/icons-material/Delete";
import RefreshIcon from "@mui/icons-material/Refresh";
import Alert from "@mui/material/Alert";
import Box from "@mui/material/Box";
import Button from "@mui/material/Button";
import Chip from "@mui/material/Chip";
import IconButton from "@mui/material/IconButton";
import Paper from "@mui/material/Paper";
import Stack from "@mui/material/Stack";
import Table from "@mui/material/Table";
import TableBody from "@mui/material/TableBody";
import TableCell from "@mui/material/TableCell";
import TableHead from "@mui/material/TableHead";
import TableRow from "@mui/material/TableRow";
import TextField from "@mui/material/TextField";
import Tooltip from "@mui/material/Tooltip";
import Typography from "@mui/material/Typography";
import Link from "next/link";
import { useState } from "react";
import type { RepositoryView } from "@/lib/plugin-catalog/types";
import { ApiError, apiFetch } from "../../common/api";
import ConfirmDialog from "../../common/ConfirmDialog";
import { fetchedAgo } from "./present";
import { useJson } from "./useJson";

const API = "/api/plugin-repository";
/** Read by screen readers, not shown (the actions column needs a header name). */
const visuallyHidden = { position: "absolute", width: "1px", height: "1px", overflow: "hidden", clip: "rect(0 0 0 0)", whiteSpace: "nowrap" } as const;

/**
 * Settings → Plugin repositories: the catalogs this server reads, from the config
 * (`Plugins.Repositories`, not removable here) and added by admins; each with its last fetch
 * and its own error, so one broken catalog is visible without hiding the others.
 */
export default function RepositoryList() {
  const { data: repos, error: loadError, reload } = useJson<RepositoryView[]>(API);
  const [url, setUrl] = useState("");
  const [urlError, setUrlError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<{ text: string; error?: boolean } | null>(null);
  const [removing, setRemoving] = useState<RepositoryView | null>(null);

  async function run(key: string, action: () => Promise<string>) {
    setBusy(key);
    setMessage(null);
    try {
      setMessage({ text: await action() });
    } catch (err) {
      setMessage({ text: (err as Error).message, error: true });
    } finally {
      setBusy(null);
      await reload();
    }
  }

  async function add(e: React.FormEvent) {
    e.preventDefault();
    setUrlError(null);
    setBusy("add");
    setMessage(null);
    try {
      const repo = await apiFetch<RepositoryView>(API, { method: "POST", body: { url: url.trim() } });
      // Fetch it now when adding did not: the admin wants to see its plugins (or its error) at once.
      const fetched = repo.lastFetchedAt || repo.lastError ? [repo] : await apiFetch<RepositoryView[]>(`${API}/refresh`, { method: "POST", body: { id: repo.id } });
      const after = fetched.find((r) => r.id === repo.id) ?? repo;
      setUrl("");
      setMessage(after.lastError ? { text: `Added, but the catalog could not be read: ${after.lastError}`, error: true } : { text: `Added ${after.name ?? after.url}` });
    } catch (err) {
      // Refusals of the URL itself (malformed, private address, already listed) go under the field.
      if (err instanceof ApiError && (err.fields.url || [400, 409, 422].includes(err.status))) setUrlError(err.message);
      else setMessage({ text: (err as Error).message, error: true });
    } finally {
      setBusy(null);
      await reload();
    }
  }

  const refresh = (repo?: RepositoryView) =>
    run(repo ? `refresh-${repo.id}` : "refresh", async () => {
      const after = await apiFetch<RepositoryView[]>(`${API}/refresh`, { method: "POST", body: repo ? { id: repo.id } : {} });
      const failed = after.filter((r) => r.lastError && (!repo || r.id === repo.id));
      return failed.length ? `Refreshed; ${failed.length} ${failed.length === 1 ? "catalog" : "catalogs"} could not be read` : "Refreshed";
    });

  const remove = (repo: RepositoryView) =>
    run(`remove-${repo.id}`, async () => {
      setRemoving(null);
      await apiFetch(`${API}/${repo.id}`, { method: "DELETE" });
      return `Removed ${repo.name ?? repo.url}`;
    });

  return (
    <Stack spacing={2}>
      <Typography color="text.secondary">
        Catalogs list plugins you can install from the <Link href="/admin/catalog">plugin catalog</Link>. They are read once a day and when you
        press Refresh. Repositories from the server configuration (<code>Plugins.Repositories</code>) can only be removed there.
      </Typography>
      <Paper variant="outlined" component="form" onSubmit={add} sx={{ p: 2 }} aria-label="add a repository">
        <Stack direction={{ xs: "column", sm: "row" }} spacing={1} alignItems="flex-start">
          <TextField
            size="small"
            label="Catalog URL"
            placeholder="https://example.com/plugins/catalog.json"
            value={url}
            onChange={(e) => {
              setUrl(e.target.value);
              setUrlError(null);
            }}
            error={Boolean(urlError)}
            helperText={urlError ?? "The address of a catalog JSON file (docs/plugin-catalog.md)"}
            sx={{ flexGrow: 1 }}
            required
            slotProps={{ htmlInput: { inputMode: "url" } }}
          />
          <Button type="submit" variant="contained" startIcon={<AddIcon />} disabled={busy !== null || !url.trim()}>
            Add repository
          </Button>
          <Button startIcon={<RefreshIcon />} onClick={() => refresh()} disabled={busy !== null || !repos?.length}>
            Refresh all
          </Button>
        </Stack>
      </Paper>
      {message && (
        <Alert severity={message.error ? "error" : "success"} onClose={() => setMessage(null)} data-testid="repository-message">
          {message.text}
        </Alert>
      )}
      {loadError && <Alert severity="error">{loadError}</Alert>}
      <Paper variant="outlined">
        <Table size="small" aria-label="plugin repositories">
          <TableHead>
            <TableRow>
              <TableCell>Repository</TableCell>
              <TableCell>Source</TableCell>
              <TableCell align="right">Plugins</TableCell>
              <TableCell>Last fetched</TableCell>
              <TableCell>
                <Box component="span" sx={visuallyHidden}>
                  Actions
                </Box>
              </TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {repos?.length === 0 && (
              <TableRow>
                <TableCell colSpan={5}>
                  <Typography color="text.secondary" data-testid="repositories-empty">
                    No repositories yet. Add a catalog URL above to browse plugins.
                  </Typography>
                </TableCell>
              </TableRow>
            )}
            {repos?.map((r) => (
              <TableRow key={r.id} data-testid={`repository-${r.id}`}>
                <TableCell>
                  <div>{r.name ?? <i>not read yet</i>}</div>
                  <Typography variant="caption" color="text.secondary" sx={{ wordBreak: "break-all" }}>
                    {r.url}
                  </Typography>
                  {r.lastError && (
                    <Alert severity="error" variant="outlined" sx={{ mt: 0.5, py: 0 }} data-testid="repository-error">
                      {r.lastError}
                    </Alert>
                  )}
                </TableCell>
                <TableCell>
                  <Chip size="small" variant="outlined" label={r.source === "config" ? "config" : "added by admin"} />
                </TableCell>
                <TableCell align="right">{r.pluginCount}</TableCell>
                <TableCell>
                  <span title={r.lastFetchedAt ? new Date(r.lastFetchedAt).toLocaleString() : undefined}>{fetchedAgo(r.lastFetchedAt)}</span>
                </TableCell>
                <TableCell align="right" sx={{ whiteSpace: "nowrap" }}>
                  <Tooltip title="Refresh now">
                    <span>
                      <IconButton aria-label={`refresh ${r.url}`} onClick={() => refresh(r)} disabled={busy !== null}>
                        <RefreshIcon />
                      </IconButton>
                    </span>
                  </Tooltip>
                  {r.source === "admin" ? (
                    <Tooltip title="Remove">
                      <span>
                        <IconButton aria-label={`remove ${r.url}`} onClick={() => setRemoving(r)} disabled={busy !== null}>
                          <DeleteIcon />
                        </IconButton>
                      </span>
                    </Tooltip>
                  ) : (
                    <Tooltip title="Set in the server configuration (Plugins.Repositories)">
                      <span>
                        <IconButton aria-label={`${r.url} is set in the configuration`} disabled>
                          <DeleteIcon />
                        </IconButton>
                      </span>
                    </Tooltip>
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Paper>
      {removing && (
        <ConfirmDialog
          title={`Remove ${removing.name ?? "this repository"}?`}
          message={`${removing.url} will no longer be read. Plugins installed from it stay installed, but you will not see their updates.`}
          confirmLabel="Remove"
          onCancel={() => setRemoving(null)}
          onConfirm={() => void remove(removing)}
        />
      )}
    </Stack>
  );
}
