"use client";
import Card from "@mui/material/Card";
import CardContent from "@mui/material/CardContent";
import CardHeader from "@mui/material/CardHeader";
import Chip from "@mui/material/Chip";
import Stack from "@mui/material/Stack";
import Typography from "@mui/material/Typography";
import type { PermissionView } from "../types";

/** The manifest's permissions with the author's reason and what each allows. */
export default function PermissionsCard({ permissions }: { permissions: PermissionView[] }) {
  return (
    <Card variant="outlined">
      <CardHeader title="Permissions" subheader="What this plugin may use, and why it asks" />
      <CardContent>
        {permissions.length === 0 && <Typography color="text.secondary">No permissions: the plugin only sees its own configuration.</Typography>}
        <Stack spacing={1} data-testid="permission-list">
          {permissions.map((p) => (
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
  );
}
