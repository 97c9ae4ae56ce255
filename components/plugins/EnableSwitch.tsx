"use client";
import Chip from "@mui/material/Chip";
import FormControlLabel from "@mui/material/FormControlLabel";
import Switch from "@mui/material/Switch";
import Tooltip from "@mui/material/Tooltip";
import type { PluginView } from "./types";

/**
 * The enable toggle with Navidrome's rules (contract §6.3): an error shows a red chip
 * instead; a missing users/library scope blocks enabling, with the reason as tooltip.
 */
export default function EnableSwitch({ plugin, busy, onToggle, labelled }: { plugin: PluginView; busy: boolean; onToggle: (enabled: boolean) => void; labelled?: boolean }) {
  if (plugin.lastError && !labelled)
    return (
      <Tooltip title={plugin.lastError}>
        <Chip color="error" size="small" label="Error" data-testid={`plugin-error-${plugin.id}`} />
      </Tooltip>
    );
  const blocked = !plugin.enabled && plugin.gate ? plugin.gate : plugin.lastError ? "Fix the error before enabling" : null;
  const control = (
    <Switch
      checked={plugin.enabled}
      disabled={busy || Boolean(blocked)}
      onChange={(e) => onToggle(e.target.checked)}
      slotProps={{ input: { "aria-label": `${plugin.enabled ? "disable" : "enable"} ${plugin.id}` } }}
    />
  );
  const body = labelled ? <FormControlLabel control={control} label={plugin.enabled ? "Enabled" : "Disabled"} /> : control;
  return blocked ? (
    <Tooltip title={blocked}>
      <span data-testid={`enable-blocked-${plugin.id}`}>{body}</span>
    </Tooltip>
  ) : (
    body
  );
}
