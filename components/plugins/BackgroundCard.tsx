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
import { usePolledJson } from "../common/usePolledJson";

interface Background {
  loaded: boolean;
  schedules: { id: string; kind: string; spec: string; nextRunAt: string | null; lastRunAt: string | null; lastError: string | null; runs: number }[];
  connections: { id: string; url: string; openedAt: string; received: number; sent: number }[];
  taskQueues: {
    maxConcurrency: number;
    allocated: number;
    queues: { queue: string; active: boolean; counts: Record<string, number> }[];
    recentFailures: { id: string; queue: string; attempt: number; message: string; at: string }[];
  } | null;
}

const when = (s: string | null) => (s ? new Date(s).toLocaleString() : "—");

/**
 * Schedules, WebSocket connections and task queues of a loaded plugin (issue #8): Navidrome
 * keeps these invisible; the admin sees them here, refreshed every few seconds.
 */
export default function BackgroundCard({ pluginId }: { pluginId: string }) {
  const bg = usePolledJson<Background>(`/api/plugin/${encodeURIComponent(pluginId)}/background`);
  if (!bg || !bg.loaded || (bg.schedules.length === 0 && bg.connections.length === 0 && !bg.taskQueues)) return null;
  return (
    <Card variant="outlined" data-testid="background-card">
      <CardHeader title="Background work" subheader="Schedules, WebSocket connections and task queues of the running plugin" />
      <CardContent>
        {bg.schedules.length > 0 && (
          <Table size="small" aria-label="schedules">
            <TableHead>
              <TableRow>
                <TableCell>Schedule</TableCell>
                <TableCell>When</TableCell>
                <TableCell>Next run</TableCell>
                <TableCell>Last run</TableCell>
                <TableCell align="right">Runs</TableCell>
                <TableCell>Last error</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {bg.schedules.map((s) => (
                <TableRow key={s.id}>
                  <TableCell>{s.id}</TableCell>
                  <TableCell>
                    {s.kind}: <code>{s.spec}</code>
                  </TableCell>
                  <TableCell>{when(s.nextRunAt)}</TableCell>
                  <TableCell>{when(s.lastRunAt)}</TableCell>
                  <TableCell align="right">{s.runs}</TableCell>
                  <TableCell>{s.lastError ?? ""}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
        {bg.connections.length > 0 && (
          <Table size="small" aria-label="websocket connections" sx={{ mt: 2 }}>
            <TableHead>
              <TableRow>
                <TableCell>Connection</TableCell>
                <TableCell>URL</TableCell>
                <TableCell>Opened</TableCell>
                <TableCell align="right">Received</TableCell>
                <TableCell align="right">Sent</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {bg.connections.map((c) => (
                <TableRow key={c.id}>
                  <TableCell>{c.id}</TableCell>
                  <TableCell>{c.url}</TableCell>
                  <TableCell>{when(c.openedAt)}</TableCell>
                  <TableCell align="right">{c.received}</TableCell>
                  <TableCell align="right">{c.sent}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
        {bg.taskQueues && (
          <>
            <Typography variant="subtitle2" sx={{ mt: 2 }}>
              Task queues ({bg.taskQueues.allocated} of {bg.taskQueues.maxConcurrency} workers allocated)
            </Typography>
            <Table size="small" aria-label="task queues">
              <TableHead>
                <TableRow>
                  <TableCell>Queue</TableCell>
                  {["pending", "running", "completed", "failed", "cancelled"].map((s) => (
                    <TableCell key={s} align="right">
                      {s}
                    </TableCell>
                  ))}
                </TableRow>
              </TableHead>
              <TableBody>
                {bg.taskQueues.queues.map((q) => (
                  <TableRow key={q.queue}>
                    <TableCell>
                      {q.queue}
                      {q.active ? "" : " (not created in this load)"}
                    </TableCell>
                    {["pending", "running", "completed", "failed", "cancelled"].map((s) => (
                      <TableCell key={s} align="right">
                        {q.counts[s] ?? 0}
                      </TableCell>
                    ))}
                  </TableRow>
                ))}
              </TableBody>
            </Table>
            {bg.taskQueues.recentFailures.length > 0 && (
              <pre style={{ fontSize: 12, background: "#f6f6f6", padding: 8, maxHeight: 160, overflow: "auto" }}>
                {bg.taskQueues.recentFailures.map((f) => `${f.at} ${f.queue} #${f.id} attempt ${f.attempt}: ${f.message}`).join("\n")}
              </pre>
            )}
          </>
        )}
      </CardContent>
    </Card>
  );
}
