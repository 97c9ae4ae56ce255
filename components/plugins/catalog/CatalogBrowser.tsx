"use client";
import DownloadIcon from "@mui/icons-material/Download";
import SearchIcon from "@mui/icons-material/Search";
import Alert from "@mui/material/Alert";
import Box from "@mui/material/Box";
import Button from "@mui/material/Button";
import Card from "@mui/material/Card";
import CardActions from "@mui/material/CardActions";
import CardContent from "@mui/material/CardContent";
import Chip from "@mui/material/Chip";
import FormControl from "@mui/material/FormControl";
import InputAdornment from "@mui/material/InputAdornment";
import InputLabel from "@mui/material/InputLabel";
import LinearProgress from "@mui/material/LinearProgress";
import MenuItem from "@mui/material/MenuItem";
import Select from "@mui/material/Select";
import Stack from "@mui/material/Stack";
import TextField from "@mui/material/TextField";
import Typography from "@mui/material/Typography";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import type { CatalogPluginView, RepositoryView } from "@/lib/plugin-catalog/types";
import { apiFetch } from "../../common/api";
import { capabilityOptions, catalogAction } from "./present";
import SignatureBadge from "./SignatureBadge";
import { useJson } from "./useJson";

/** A failing repository in one phrase (fetch errors usually name the URL already). */
const brokenText = (r: RepositoryView) => (r.name ? `${r.name} (${r.lastError})` : r.lastError!.includes(r.url) ? r.lastError! : `${r.url} (${r.lastError})`);

/** Whether a catalog plugin matches the search words (id, name, author, description) and the capability. */
function matches(p: CatalogPluginView, q: string, capability: string): boolean {
  const words = q.toLowerCase().split(/\s+/).filter(Boolean);
  const text = [p.id, p.name, p.author ?? "", p.description ?? ""].join(" ").toLowerCase();
  if (!words.every((w) => text.includes(w))) return false;
  return !capability || p.versions.some((v) => v.capabilities?.includes(capability));
}

/**
 * The plugin catalog: every plugin of every cached catalog, with its newest compatible
 * version, signature, compatibility and installed state; one-click install lands the plugin
 * disabled and opens its page for the permission review.
 */
export default function CatalogBrowser() {
  const router = useRouter();
  const catalog = useJson<CatalogPluginView[]>("/api/plugin-catalog");
  const repos = useJson<RepositoryView[]>("/api/plugin-repository");
  const [q, setQ] = useState("");
  const [capability, setCapability] = useState("");
  const [installing, setInstalling] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const plugins = useMemo(() => catalog.data ?? [], [catalog.data]);
  const capabilities = useMemo(() => capabilityOptions(plugins), [plugins]);
  const shown = useMemo(() => plugins.filter((p) => matches(p, q, capability)), [plugins, q, capability]);
  const broken = repos.data?.filter((r) => r.lastError) ?? [];

  async function install(p: CatalogPluginView, version: string) {
    setInstalling(p.id);
    setError(null);
    try {
      await apiFetch("/api/plugin-catalog/install", { method: "POST", body: { pluginId: p.id, version, repositoryId: p.repository.id } });
      router.push(`/admin/plugins/${encodeURIComponent(p.id)}`);
      router.refresh();
    } catch (err) {
      setError(`Installing ${p.id} failed: ${(err as Error).message}`);
      setInstalling(null);
    }
  }

  return (
    <Stack spacing={2}>
      <Stack direction={{ xs: "column", sm: "row" }} spacing={1} component="search" aria-label="filter the catalog">
        <TextField
          size="small"
          label="Search plugins"
          value={q}
          onChange={(e) => setQ(e.target.value)}
          sx={{ flexGrow: 1 }}
          slotProps={{ input: { startAdornment: <InputAdornment position="start"><SearchIcon fontSize="small" /></InputAdornment> } }}
        />
        <FormControl size="small" sx={{ minWidth: 220 }}>
          <InputLabel id="capability-filter-label">Capability</InputLabel>
          <Select labelId="capability-filter-label" label="Capability" value={capability} onChange={(e) => setCapability(e.target.value)}>
            <MenuItem value="">All capabilities</MenuItem>
            {capabilities.map((c) => (
              <MenuItem key={c} value={c}>
                {c}
              </MenuItem>
            ))}
          </Select>
        </FormControl>
        <Button component={Link} href="/admin/settings/repositories">
          Repositories
        </Button>
      </Stack>
      {(catalog.loading || repos.loading) && <LinearProgress aria-label="loading the catalog" />}
      {error && (
        <Alert severity="error" onClose={() => setError(null)} data-testid="catalog-error">
          {error}
        </Alert>
      )}
      {catalog.error && <Alert severity="error">{catalog.error}</Alert>}
      {broken.length > 0 && (
        <Alert severity="warning" data-testid="catalog-broken-repositories">
          {broken.length === 1 ? "One catalog" : `${broken.length} catalogs`} could not be read; their plugins are missing from this list:{" "}
          {broken.map(brokenText).join("; ")}. <Link href="/admin/settings/repositories">See the repositories</Link>.
        </Alert>
      )}
      {repos.data?.length === 0 && (
        <Typography color="text.secondary" data-testid="catalog-no-repositories">
          No repositories yet. <Link href="/admin/settings/repositories">Add a catalog URL</Link> to browse plugins.
        </Typography>
      )}
      {catalog.data && repos.data && repos.data.length > 0 && shown.length === 0 && (
        <Typography color="text.secondary" data-testid="catalog-empty">
          {plugins.length === 0 ? "The catalogs list no plugins." : "No plugins match."}
        </Typography>
      )}
      <Box sx={{ display: "grid", gap: 2, gridTemplateColumns: { xs: "1fr", md: "1fr 1fr" } }} aria-live="polite">
        {shown.map((p) => (
          <CatalogCard key={`${p.repository.id}/${p.id}`} plugin={p} busy={installing !== null} installing={installing === p.id} onInstall={(v) => install(p, v)} />
        ))}
      </Box>
    </Stack>
  );
}

function CatalogCard({ plugin: p, busy, installing, onInstall }: { plugin: CatalogPluginView; busy: boolean; installing: boolean; onInstall: (version: string) => void }) {
  const action = catalogAction(p);
  const v = p.latest ?? p.versions[0] ?? null;
  const headingId = `catalog-${p.repository.id}-${p.id}`;
  return (
    <Card variant="outlined" component="article" aria-labelledby={headingId} data-testid={`catalog-plugin-${p.id}`} sx={{ display: "flex", flexDirection: "column" }}>
      <CardContent sx={{ flexGrow: 1 }}>
        <Stack direction="row" spacing={1} alignItems="baseline" flexWrap="wrap" useFlexGap>
          <Typography variant="h6" component="h2" id={headingId}>
            {p.name}
          </Typography>
          {v && <Typography color="text.secondary">{v.version}</Typography>}
        </Stack>
        <Typography variant="body2" color="text.secondary" gutterBottom>
          {p.id}
          {p.author && <> · by {p.author}</>} · from {p.repository.name ?? p.repository.url}
        </Typography>
        {p.description && <Typography variant="body2">{p.description}</Typography>}
        <Stack direction="row" spacing={0.5} sx={{ mt: 1 }} flexWrap="wrap" useFlexGap>
          {v && <SignatureBadge status={v.signatureStatus} />}
          {p.installed && <Chip size="small" color="info" label={`Installed ${p.installed.version}`} data-testid="badge-installed" />}
          {p.updateAvailable && <Chip size="small" color="secondary" label={`Update available: ${p.updateAvailable}`} data-testid="badge-update" />}
          {p.latest ? (
            <Chip size="small" variant="outlined" color="success" label="Compatible" />
          ) : (
            <Chip size="small" variant="outlined" color="error" label="Incompatible" data-testid="badge-incompatible" />
          )}
          {v?.capabilities?.map((c) => <Chip key={c} size="small" variant="outlined" label={c} />)}
        </Stack>
        {v && (v.permissions?.length || v.hosts?.length || v.libraryWrite) ? (
          <Typography variant="caption" component="p" color="text.secondary" sx={{ mt: 1 }}>
            Asks for: {[...(v.permissions ?? []), ...(v.libraryWrite ? ["library write access"] : [])].join(", ") || "no permissions"}
            {v.hosts?.length ? ` (hosts: ${v.hosts.join(", ")})` : ""}
          </Typography>
        ) : (
          v && (
            <Typography variant="caption" component="p" color="text.secondary" sx={{ mt: 1 }}>
              Asks for no permissions
            </Typography>
          )
        )}
        {action.kind === "incompatible" && (
          <Typography variant="body2" color="error" sx={{ mt: 1 }} data-testid="compatibility-note">
            {action.note}
          </Typography>
        )}
        {p.latest?.compatibilityNote && (
          <Typography variant="caption" component="p" color="text.secondary">
            {p.latest.compatibilityNote}
          </Typography>
        )}
      </CardContent>
      <CardActions>
        {action.kind === "install" && (
          <Button variant="contained" startIcon={<DownloadIcon />} disabled={busy} onClick={() => onInstall(action.version)} aria-label={`install ${p.name} ${action.version}`}>
            {installing ? "Installing…" : "Install"}
          </Button>
        )}
        {action.kind === "incompatible" && (
          <Button variant="contained" disabled aria-label={`install ${p.name}: incompatible`}>
            Install
          </Button>
        )}
        {(action.kind === "installed" || action.kind === "update") && (
          <Button component={Link} href={`/admin/plugins/${encodeURIComponent(p.id)}`} variant={action.kind === "update" ? "contained" : "text"}>
            {action.kind === "update" ? `Review update to ${action.to}` : "Open"}
          </Button>
        )}
        {p.homepage && (
          <Button href={p.homepage} target="_blank" rel="noreferrer noopener">
            Homepage
          </Button>
        )}
      </CardActions>
    </Card>
  );
}
