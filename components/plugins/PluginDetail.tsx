"use client";
import Alert from "@mui/material/Alert";
import Button from "@mui/material/Button";
import Stack from "@mui/material/Stack";
import Typography from "@mui/material/Typography";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { ApiError, apiFetch } from "../common/api";
import ConfirmDialog from "../common/ConfirmDialog";
import BackgroundCard from "./BackgroundCard";
import ActivityCard from "./detail/ActivityCard";
import ConfigurationCard from "./detail/ConfigurationCard";
import EndpointsCard from "./detail/EndpointsCard";
import HistoryCard from "./detail/HistoryCard";
import InfoCard from "./detail/InfoCard";
import LibrariesCard, { type LibrariesScope } from "./detail/LibrariesCard";
import ManifestCard from "./detail/ManifestCard";
import PermissionsCard from "./detail/PermissionsCard";
import PlaylistsCard from "./detail/PlaylistsCard";
import StatusCard from "./detail/StatusCard";
import UpdateCard from "./detail/UpdateCard";
import UsersCard, { type UsersScope } from "./detail/UsersCard";
import type { FormError } from "./PluginConfigForm";
import type { ScopeOption } from "./ScopePicker";
import type { ActivityView, PluginView } from "./types";

interface Props {
  plugin: PluginView;
  users: ScopeOption<string>[];
  libraries: ScopeOption<number>[];
  activity: ActivityView;
}

const parseConfig = (text: string): unknown => (text ? JSON.parse(text) : {});
const sameIds = <T,>(a: T[], b: T[]) => JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());
const settingsOf = (p: PluginView) => JSON.stringify([p.config, p.users, p.allUsers, p.libraries, p.allLibraries, p.allowWriteAccess]);
const usersOf = (p: PluginView): UsersScope => ({ all: p.allUsers, selected: p.users });
const librariesOf = (p: PluginView): LibrariesScope => ({ all: p.allLibraries, selected: p.libraries, write: p.allowWriteAccess });

/**
 * The plugin detail page (contract §6.4): owns the editable settings and the requests;
 * each card under detail/ renders one section.
 */
export default function PluginDetail({ plugin, users, libraries, activity }: Props) {
  const router = useRouter();
  // The server settings the form was initialised from; edits are measured against them.
  const [origin, setOrigin] = useState(plugin);
  const [config, setConfig] = useState<unknown>(() => parseConfig(plugin.config));
  // The form data after ajv filled in the schema defaults: that first change is not an edit.
  const [baseline, setBaseline] = useState<string | null>(null);
  const [configErrors, setConfigErrors] = useState<FormError[]>([]);
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [scopeUsers, setScopeUsers] = useState(() => usersOf(plugin));
  const [scopeLibs, setScopeLibs] = useState(() => librariesOf(plugin));
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
      setScopeUsers(usersOf(plugin));
      setScopeLibs(librariesOf(plugin));
    }
  }

  const pluginUrl = `/api/plugin/${encodeURIComponent(plugin.id)}`;

  /** PUT /api/plugin/:id; a refusal comes back as the error's message and per-field messages. */
  async function put(body: Record<string, unknown>): Promise<ApiError | null> {
    try {
      await apiFetch(pluginUrl, { method: "PUT", body });
      return null;
    } catch (err) {
      return err instanceof ApiError ? err : new ApiError((err as Error).message, 0);
    }
  }

  async function save() {
    setBusy(true);
    setMessage(null);
    setServerErrors({});
    const body: Record<string, unknown> = {};
    if (plugin.configSchema) body.config = config && typeof config === "object" && Object.keys(config).length === 0 ? "" : JSON.stringify(config);
    if (plugin.hasUsersPermission) Object.assign(body, { users: JSON.stringify(scopeUsers.selected), allUsers: scopeUsers.all });
    if (plugin.hasLibraryPermission) Object.assign(body, { libraries: JSON.stringify(scopeLibs.selected), allLibraries: scopeLibs.all, allowWriteAccess: scopeLibs.write });
    const failure = await put(body);
    setBusy(false);
    if (failure) {
      setServerErrors(failure.fields);
      setMessage({ text: failure.message, error: true });
    } else {
      setBaseline(JSON.stringify(config));
      setMessage({ text: plugin.enabled ? "Saved; the plugin was reloaded" : "Saved" });
    }
    router.refresh();
  }

  async function toggle(enabled: boolean) {
    setBusy(true);
    const failure = await put({ enabled });
    setBusy(false);
    setMessage(failure ? { text: failure.message, error: true } : { text: enabled ? "Plugin enabled" : "Plugin disabled" });
    router.refresh();
  }

  async function remove() {
    setConfirmDelete(false);
    try {
      await apiFetch(pluginUrl, { method: "DELETE" });
      router.push("/admin/plugins");
      router.refresh();
    } catch (err) {
      setMessage({ text: (err as Error).message, error: true });
    }
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

      <StatusCard plugin={plugin} busy={busy} onToggle={toggle} />
      <UpdateCard pluginId={plugin.id} revision={plugin.sha256} onChanged={() => router.refresh()} />
      <InfoCard plugin={plugin} onDelete={() => setConfirmDelete(true)} />
      <PermissionsCard permissions={plugin.permissions} />
      {plugin.endpoints && <EndpointsCard endpoints={plugin.endpoints} />}
      <ManifestCard manifest={plugin.manifest} />

      {plugin.configSchema && (
        <ConfigurationCard
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
      )}
      {plugin.hasUsersPermission && (
        <UsersCard reason={plugin.permissions.find((p) => p.key === "users")?.reason} options={users} value={scopeUsers} onChange={setScopeUsers} />
      )}
      {plugin.hasLibraryPermission && (
        <LibrariesCard
          reason={plugin.permissions.find((p) => p.key === "library")?.reason}
          filesystem={plugin.filesystem}
          options={libraries}
          value={scopeLibs}
          onChange={setScopeLibs}
        />
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
      {plugin.capabilities?.includes("PlaylistProvider") && <PlaylistsCard pluginId={plugin.id} />}
      <HistoryCard pluginId={plugin.id} revision={plugin.sha256} onChanged={() => router.refresh()} />
      <ActivityCard activity={activity} />

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
