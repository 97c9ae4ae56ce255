"use client";
import Card from "@mui/material/Card";
import CardContent from "@mui/material/CardContent";
import CardHeader from "@mui/material/CardHeader";
import Table from "@mui/material/Table";
import TableBody from "@mui/material/TableBody";
import TableCell from "@mui/material/TableCell";
import TableHead from "@mui/material/TableHead";
import TableRow from "@mui/material/TableRow";
import Typography from "@mui/material/Typography";
import type { ActivityView } from "../types";

/** Call metrics per export and recent log lines since the server started. */
export default function ActivityCard({ activity }: { activity: ActivityView }) {
  return (
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
            {activity.metrics.length === 0 && (
              <TableRow>
                <TableCell colSpan={6}>
                  <Typography color="text.secondary">No calls yet</Typography>
                </TableCell>
              </TableRow>
            )}
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
  );
}
