"use client";
import Card from "@mui/material/Card";
import CardContent from "@mui/material/CardContent";
import CardHeader from "@mui/material/CardHeader";
import Typography from "@mui/material/Typography";
import EnableSwitch from "../EnableSwitch";
import type { PluginView } from "../types";

/** The labelled enable switch, and why enabling is blocked (contract §6.4 item 2). */
export default function StatusCard({ plugin, busy, onToggle }: { plugin: PluginView; busy: boolean; onToggle: (enabled: boolean) => void }) {
  return (
    <Card variant="outlined">
      <CardHeader title="Status" />
      <CardContent>
        <EnableSwitch plugin={plugin} busy={busy} onToggle={onToggle} labelled />
        {!plugin.enabled && plugin.gate && (
          <Typography color="warning.main" variant="body2" data-testid="enable-gate">
            Cannot be enabled yet: {plugin.gate}
          </Typography>
        )}
      </CardContent>
    </Card>
  );
}
