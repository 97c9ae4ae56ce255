"use client";
import DeleteIcon from "@mui/icons-material/Delete";
import DownloadIcon from "@mui/icons-material/Download";
import ExpandMoreIcon from "@mui/icons-material/ExpandMore";
import Accordion from "@mui/material/Accordion";
import AccordionDetails from "@mui/material/AccordionDetails";
import AccordionSummary from "@mui/material/AccordionSummary";
import Alert from "@mui/material/Alert";
import Button from "@mui/material/Button";
import Card from "@mui/material/Card";
import CardContent from "@mui/material/CardContent";
import CardHeader from "@mui/material/CardHeader";
import Chip from "@mui/material/Chip";
import FormControlLabel from "@mui/material/FormControlLabel";
import Stack from "@mui/material/Stack";
import Switch from "@mui/material/Switch";
import Table from "@mui/material/Table";
import TableBody from "@mui/material/TableBody";
import TableCell from "@mui/material/TableCell";
import TableHead from "@mui/material/TableHead";
import TableRow from "@mui/material/TableRow";
import Typography from "@mui/material/Typography";
import { useRouter } from "next/navigation";
import { useState } from "react";
import ConfirmDialog from "../common/ConfirmDialog";
import EnableSwitch from "./EnableSwitch";
import PluginConfigForm, { type FormError } from "./PluginConfigForm";
import ScopePicker, { type ScopeOption } from "./ScopePicker";
import BackgroundCard from "./BackgroundCard";
import type { ActivityView, PluginView } from "./types";

interface Props {
  plugin: PluginView;
  users: ScopeOption<string>[];
  libraries: ScopeOption<number>[];
  activity: ActivityView;
}

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <TableRow>
      <TableCell sx={{ width: 160, color: "text.secondary" }}>{label}</TableCell>
      <TableCell>{children}</TableCell>
    </TableRow>
  );
}

const parseConfig = (text: string): unknown => (text ? JSON.parse(text) : {});
const sameIds = <T,>(a: T[], b: T[]) => JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());
const settingsOf = (p: PluginView) => JSON.stringify([p.config, p.users, p.allUsers, p.libraries, p.allLibraries, p.allowWriteAccess]);

export default function PluginDetail({ plugin, users, libraries, activity }: Props) {
  const router = useRouter();
  // The server settings the form was initialised from; edits are measured against them.
  const [origin, setOrigin] = useState(plugin);
  const [config, setConfig] = useState<unknown>(() => parseConfig(plugin.config));
  // The form data after ajv filled in the schema defaults: that first change is not an edit.
  const [baseline, setBaseline] = useState<string | null>(null);
  const [configErrors, setConfigErrors] = useState<FormError[]>([]);
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [scopeUsers, setScopeUsers] = useState({ all: plugin.allUsers, selected: plugin.users });
  const [scopeLibs, setScopeLibs] = useState({ all: plugin.allLibraries, selected: plugin.libraries, write: plugin.allowWriteAccess });
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ text: string; error?: boolean } | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);

  const configDirty = baseline !== null && JSON.stringify(config) !== baseline;
  const usersDirty = scopeUsers.all !== origin.allUsers || !sameIds(scopeUsers.selected, origin.users);
  const libsDirty = scopeLibs.all !== origin.allLibraries || scopeLibs.write !== origin.allowWriteAccess || !sameIds(scopeLibs.selected, origin.libraries);
  const dirty = configDirty || usersDirty || libsDirty;

  // A refresh brought other settings from the server: they become the origin, and the form
  // is re-initialised from them unless the admin has unsaved edits (contract §6.4).
  if (settingsOf(plugin) !== settingsOf(origin)) {
    setOrigin(plugin);
    if (!dirty) {
      setConfig(parseConfig(plugin.config));
      setBaseline(null);
      setScopeUsers({ all: plugin.allUsers, selected: plugin.users });
      setScopeLibs({ all: plugin.allLibraries, selected: plugin.libraries, write: plugin.allowWriteAccess });
    }
  }

  async function put(body: Record<string, unknown>) {
    const res = await fetch(`/api/plugin/${encodeURIComponent(plugin.id)}`, { method: "PUT", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    const type = res.headers.get("content-type") ?? "";
    const payload = type.includes("json") ? await res.json() : { message: await res.text() };
    return { ok: res.ok, status: res.status, payload };
  }

  async function save() {
    setBusy(true);
    setMessage(null);
    setServerErrors({});
    const body: Record<string, unknown> = {};
    if (plugin.configSchema) body.config = config && typeof config === "object" && Object.keys(config).length === 0 ? "" : JSON.stringify(config);
    if (plugin.hasUsersPermission) Object.assign(body, { users: JSON.stringify(scopeUsers.selected), allUsers: scopeUsers.all });
    if (plugin.hasLibraryPermission) Object.assign(body, { libraries: JSON.stringify(scopeLibs.selected), allLibraries: scopeLibs.all, allowWriteAccess: scopeLibs.write });
    const r = await put(body);
    setBusy(false);
    if (!r.ok) {
      setServerErrors(r.payload.fields ?? {});
      setMessage({ text: r.payload.message ?? `Save failed (${r.status})`, error: true });
    } else {
      setBaseline(JSON.stringify(config));
      setMessage({ text: plugin.enabled ? "Saved; the plugin was reloaded" : "Saved" });
    }
    router.refresh();
  }

  async function toggle(enabled: boolean) {
    setBusy(true);
    const r = await put({ enabled });
    setBusy(false);
    setMessage(r.ok ? { text: enabled ? "Plugin enabled" : "Plugin disabled" } : { text: r.payload.message ?? "Request failed", error: true });
    router.refresh();
  }

  async function remove() {
    setConfirmDelete(false);
    const res = await fetch(`/api/plugin/${encodeURIComponent(plugin.id)}`, { method: "DELETE" });
    if (res.ok) {
      router.push("/admin/plugins");
      router.refresh();
    } else setMessage({ text: (await res.json().catch(() => ({}))).error ?? "Delete failed", error: true });
  }

  return (
    <Stack spacing={2}>
      {plugin.lastError && (
        <Alert severity="error" data-testid="plugin-last-error">
          {plugin.lastError}
        </Alert>
      )}
      {message && (
        <Alert severity={message.error ? "error" : "success"} data-testid="plugin-message" onClose={() => setMessage(null)}>
          {message.text}
        </Alert>
      )}

      <Card variant="outlined">
        <CardHeader title="Status" />
        <CardContent>
          <EnableSwitch plugin={plugin} busy={busy} onToggle={toggle} labelled />
          {!plugin.enabled && plugin.gate && (
            <Typography color="warning.main" variant="body2" data-testid="enable-gate">
              Cannot be enabled yet: {plugin.gate}
            </Typography>
          )}
        </CardContent>
      </Card>

      <Card variant="outlined">
        <CardHeader
          title={`${plugin.name} ${plugin.version}`}
          subheader={plugin.description}
          action={
            <Stack direction="row" spacing={1}>
              <Button startIcon={<DownloadIcon />} href={`/api/plugin/${encodeURIComponent(plugin.id)}/package`}>
                Download
              </Button>
              <Button color="error" startIcon={<DeleteIcon />} onClick={() => setConfirmDelete(true)}>
                Delete
              </Button>
            </Stack>
          }
        />
        <CardContent>
          <Table size="small">
            <TableBody>
              <Row label="ID">{plugin.id}</Row>
              <Row label="Author">{plugin.author}</Row>
              {plugin.website && (
                <Row label="Website">
                  <a href={plugin.website} target="_blank" rel="noreferrer noopener">
                    {plugin.website}
                  </a>
                </Row>
              )}
              <Row label="Capabilities">
                {plugin.capabilities === null ? "detected when the plugin is enabled" : plugin.capabilities.map((c) => <Chip key={c} size="small" label={c} sx={{ mr: 0.5 }} />)}
              </Row>
              {plugin.usage.length > 0 && (
                <Row label="In use">
                  <span data-testid="capability-usage">
                    {plugin.usage.map((u) => (
                      <div key={u}>{u}</div>
                    ))}
                  </span>
                </Row>
              )}
              <Row label="File">{plugin.path}</Row>
              <Row label="SHA-256">
                <code>{plugin.sha256}</code>
              </Row>
              <Row label="Installed">{new Date(plugin.createdAt).toLocaleString()}</Row>
              <Row label="Updated">{new Date(plugin.updatedAt).toLocaleString()}</Row>
            </TableBody>
          </Table>
        </CardContent>
      </Card>

      <Card variant="outlined">
        <CardHeader title="Permissions" subheader="What this plugin may use, and why it asks" />
        <CardContent>
          {plugin.permissions.length === 0 && <Typography color="text.secondary">No permissions: the plugin only sees its own configuration.</Typography>}
          <Stack spacing={1} data-testid="permission-list">
            {plugin.permissions.map((p) => (
              <div key={p.key} data-testid={`permission-${p.key}`}>
                <Chip color="primary" variant="outlined" label={p.key} size="small" sx={{ mr: 1 }} />
                <span>{p.reason ?? <i>no reason given</i>}</span>
                {p.details.map((d) => (
                  <Typography key={d} variant="caption" display="block" color="text.secondary" sx={{ ml: 1 }}>
                    {d}
                  </Typography>
                ))}
              </div>
            ))}
          </Stack>
        </CardContent>
      </Card>

      <Accordion variant="outlined">
        <AccordionSummary expandIcon={<ExpandMoreIcon />}>Manifest</AccordionSummary>
        <AccordionDetails>
          <pre style={{ margin: 0, overflowX: "auto" }}>{JSON.stringify(JSON.parse(plugin.manifest), null, 2)}</pre>
        </AccordionDetails>
      </Accordion>

      {plugin.configSchema && (
        <Card variant="outlined">
          <CardHeader title="Configuration" />
          <CardContent>
            <PluginConfigForm
              schema={plugin.configSchema}
              uiSchema={plugin.configUiSchema}
              data={config}
              serverErrors={serverErrors}
              onChange={(data, errors) => {
                setBaseline((b) => b ?? JSON.stringify(data));
                setConfig(data);
                setConfigErrors(errors);
              }}
            />
          </CardContent>
        </Card>
      )}

      {plugin.hasUsersPermission && (
        <Card variant="outlined">
          <CardHeader title="Users" subheader="Whose activity this plugin may act on" />
          <CardContent>
            <ScopePicker
              kind="users"
              reason={plugin.permissions.find((p) => p.key === "users")?.reason}
              options={users}
              all={scopeUsers.all}
              selected={scopeUsers.selected}
              onChange={(all, selected) => setScopeUsers({ all, selected })}
            />
          </CardContent>
        </Card>
      )}

      {plugin.hasLibraryPermission && (
        <Card variant="outlined">
          <CardHeader title="Libraries" subheader={plugin.filesystem ? "Libraries whose files are mounted read-only into the plugin" : "Libraries the plugin may read"} />
          <CardContent>
            <ScopePicker
              kind="libraries"
              reason={plugin.permissions.find((p) => p.key === "library")?.reason}
              options={libraries}
              all={scopeLibs.all}
              selected={scopeLibs.selected}
              onChange={(all, selected) => setScopeLibs((s) => ({ ...s, all, selected }))}
            />
            {plugin.filesystem && (
              <FormControlLabel
                control={<Switch checked={scopeLibs.write} onChange={(e) => setScopeLibs((s) => ({ ...s, write: e.target.checked }))} />}
                label="Allow write access (the plugin may modify your music files)"
              />
            )}
          </CardContent>
        </Card>
      )}

      {(plugin.configSchema || plugin.hasUsersPermission || plugin.hasLibraryPermission) && (
        <div>
          <Button variant="contained" onClick={save} disabled={!dirty || busy || configErrors.length > 0}>
            Save
          </Button>
          {configErrors.length > 0 && (
            <Typography variant="caption" color="error" sx={{ ml: 2 }}>
              Fix the highlighted fields to save.
            </Typography>
          )}
        </div>
      )}

      {plugin.enabled && <BackgroundCard pluginId={plugin.id} />}

      <Card variant="outlined">
        <CardHeader title="Activity" subheader="Calls since the server started, and recent log lines" />
        <CardContent>
          <Table size="small" aria-label="call metrics">
            <TableHead>
              <TableRow>
                <TableCell>Export</TableCell>
                <TableCell align="right">Calls</TableCell>
                <TableCell align="right">Errors</TableCell>
                <TableCell align="right">p50 ms</TableCell>
                <TableCell align="right">p95 ms</TableCell>
                <TableCell>Last error</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {activity.metrics.map((m) => (
                <TableRow key={m.name} data-testid={`metric-${m.name}`}>
                  <TableCell>{m.name}</TableCell>
                  <TableCell align="right">{m.count}</TableCell>
                  <TableCell align="right">{m.errors}</TableCell>
                  <TableCell align="right">{m.p50Ms.toFixed(1)}</TableCell>
                  <TableCell align="right">{m.p95Ms.toFixed(1)}</TableCell>
                  <TableCell>{m.lastError ?? ""}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          <Typography variant="subtitle2" sx={{ mt: 2 }}>
            Log
          </Typography>
          <pre data-testid="plugin-log" style={{ maxHeight: 240, overflow: "auto", fontSize: 12, background: "#f6f6f6", padding: 8 }}>
            {activity.lines.map((l) => `${l.at} ${l.level.toUpperCase()} ${l.message}`).join("\n") || "(nothing yet)"}
          </pre>
        </CardContent>
      </Card>

      {confirmDelete && (
        <ConfirmDialog
          title={`Delete ${plugin.id}?`}
          message="The package file is deleted and the plugin removed with its settings. Its stored data (key-value store, tasks) stays on disk."
          confirmLabel="Delete"
          onCancel={() => setConfirmDelete(false)}
          onConfirm={remove}
        />
      )}
    </Stack>
  );
}
