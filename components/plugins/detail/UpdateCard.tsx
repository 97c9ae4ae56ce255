"use client";
import SystemUpdateAltIcon from "@mui/icons-material/SystemUpdateAlt";
import Alert from "@mui/material/Alert";
import Box from "@mui/material/Box";
import Button from "@mui/material/Button";
import Card from "@mui/material/Card";
import CardContent from "@mui/material/CardContent";
import CardHeader from "@mui/material/CardHeader";
import Chip from "@mui/material/Chip";
import Stack from "@mui/material/Stack";
import Typography from "@mui/material/Typography";
import { useState } from "react";
import type { PermissionDiff, UpdateResult, UpdateView } from "@/lib/plugin-catalog/types";
import { apiFetch } from "../../common/api";
import PermissionDiffView from "../catalog/PermissionDiffView";
import { asksForMore } from "../catalog/present";
import SignatureBadge from "../catalog/SignatureBadge";
import { useJson } from "../catalog/useJson";

/** Release notes as the author wrote them (plain text, line breaks kept). */
function ReleaseNotes({ text }: { text?: string }) {
  if (!text) return null;
  return (
    <Box sx={{ my: 1 }}>
      <Typography variant="subtitle2" component="h3">
        Release notes
      </Typography>
      <Typography variant="body2" sx={{ whiteSpace: "pre-wrap" }} data-testid="release-notes">
        {text}
      </Typography>
    </Box>
  );
}

function DiffSection({ diff }: { diff: PermissionDiff }) {
  return (
    <Box sx={{ my: 1 }}>
      <Typography variant="subtitle2" component="h3">
        Permission changes
      </Typography>
      <PermissionDiffView diff={diff} />
    </Box>
  );
}

/**
 * The plugin's update from its catalog: release notes and the permission diff. An update
 * that asks for nothing new is applied in place; one that asks for more is downloaded and
 * staged, and the running version stays until the admin approves the new grants (or discards).
 * `revision` (the package hash) reloads the view when the page's plugin changed.
 */
export default function UpdateCard({ pluginId, revision, onChanged }: { pluginId: string; revision: string; onChanged: () => void }) {
  const url = `/api/plugin/${encodeURIComponent(pluginId)}/update`;
  const { data: view, reload } = useJson<UpdateView>(url, revision);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ text: string; error?: boolean } | null>(null);

  async function act(run: () => Promise<string>, changed: boolean) {
    setBusy(true);
    setMessage(null);
    try {
      setMessage({ text: await run() });
      if (changed) onChanged();
    } catch (err) {
      setMessage({ text: (err as Error).message, error: true });
    } finally {
      setBusy(false);
      await reload();
    }
  }

  const update = (version: string) =>
    act(async () => {
      const r = await apiFetch<UpdateResult>(url, { method: "POST", body: { version } });
      if (r.applied) return `Updated to ${r.version}`;
      return `Version ${r.version} is downloaded and verified. It asks for new permissions: review them below and approve to switch.`;
    }, true);
  const approve = () =>
    act(async () => {
      const r = await apiFetch<UpdateResult>(`${url}/approve`, { method: "POST" });
      return `Updated to ${r.version}; the new permissions are granted`;
    }, true);
  const discard = () =>
    act(async () => {
      await apiFetch(url, { method: "DELETE" });
      return "Discarded the pending update; the current version keeps running";
    }, true);

  const pending = view?.pending ?? null;
  const available = view?.available ?? null;
  if (!pending && !available && !message) return null;

  return (
    <Card variant="outlined" data-testid="update-card" component="section" aria-labelledby="update-card-title" sx={{ borderColor: pending || available ? "secondary.main" : undefined }}>
      <CardHeader
        avatar={<SystemUpdateAltIcon color="secondary" aria-hidden />}
        title={
          <span id="update-card-title">{pending ? `Update to ${pending.version} waiting for approval` : available ? `Update available: ${available.version}` : "Update"}</span>
        }
        subheader={view ? `Installed: ${view.currentVersion}` : undefined}
        slotProps={{ title: { variant: "h6", component: "h2" } }}
      />
      <CardContent>
        {message && (
          <Alert severity={message.error ? "error" : "success"} sx={{ mb: 1 }} onClose={() => setMessage(null)} data-testid="update-message">
            {message.text}
          </Alert>
        )}
        {pending ? (
          <>
            <Typography variant="body2">
              Version {pending.version} asks for more than {view!.currentVersion} was granted. The plugin keeps running {view!.currentVersion} until you approve.
            </Typography>
            <ReleaseNotes text={pending.releaseNotes} />
            <DiffSection diff={pending.diff} />
            <Stack direction="row" spacing={1} sx={{ mt: 2 }}>
              <Button variant="contained" color="warning" onClick={approve} disabled={busy}>
                Approve new permissions and update
              </Button>
              <Button onClick={discard} disabled={busy}>
                Discard
              </Button>
            </Stack>
          </>
        ) : available ? (
          <>
            <Stack direction="row" spacing={0.5} flexWrap="wrap" useFlexGap>
              <SignatureBadge status={available.signatureStatus} />
              {available.published && <Chip size="small" variant="outlined" label={`Published ${new Date(available.published).toLocaleDateString()}`} />}
              {!available.compatible && <Chip size="small" color="error" label={available.compatibilityNote ?? "Incompatible"} />}
            </Stack>
            <ReleaseNotes text={available.releaseNotes} />
            <DiffSection diff={available.diff} />
            <Stack direction="row" spacing={1} alignItems="center" sx={{ mt: 2 }}>
              <Button variant="contained" color="secondary" onClick={() => update(available.version)} disabled={busy || !available.compatible}>
                Update
              </Button>
              <Typography variant="caption" color="text.secondary">
                {asksForMore(available.diff)
                  ? `The package is downloaded and checked first; ${view!.currentVersion} keeps running until you approve the new permissions.`
                  : "Nothing new is asked for: the update is applied in place and the settings are kept."}
              </Typography>
            </Stack>
          </>
        ) : null}
      </CardContent>
    </Card>
  );
}
