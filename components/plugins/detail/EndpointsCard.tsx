"use client";
import Alert from "@mui/material/Alert";
import Card from "@mui/material/Card";
import CardContent from "@mui/material/CardContent";
import CardHeader from "@mui/material/CardHeader";
import Chip from "@mui/material/Chip";
import Stack from "@mui/material/Stack";
import Table from "@mui/material/Table";
import TableBody from "@mui/material/TableBody";
import TableCell from "@mui/material/TableCell";
import TableHead from "@mui/material/TableHead";
import TableRow from "@mui/material/TableRow";
import Tooltip from "@mui/material/Tooltip";
import Typography from "@mui/material/Typography";
import type { EndpointsView } from "../types";

/**
 * The URLs a plugin serves (HTTPEndpoint, addendum A2) and who may call them. An
 * unauthenticated plugin gets a warning chip: the host checks nothing, so only the plugin's
 * own code stands between these URLs and the internet. URLs are shown as text, not links:
 * the paths come from the manifest and are only informational.
 */
export default function EndpointsCard({ endpoints }: { endpoints: EndpointsView }) {
  return (
    <Card variant="outlined" data-testid="endpoints-card">
      <CardHeader title="HTTP endpoints" subheader={endpoints.reason ?? "URLs this plugin answers on this server"} />
      <CardContent>
        <Stack direction="row" spacing={1} alignItems="center" sx={{ mb: 1 }} data-testid="endpoints-auth">
          <Typography variant="body2" color="text.secondary">
            Who may call:
          </Typography>
          <Typography variant="body2">{endpoints.authLabel}</Typography>
          {endpoints.warning && (
            <Tooltip title={endpoints.warning}>
              <Chip color="warning" size="small" label="unauthenticated" data-testid="endpoints-unauthenticated" aria-description={endpoints.warning} />
            </Tooltip>
          )}
        </Stack>
        {endpoints.warning && (
          <Typography variant="caption" display="block" color="text.secondary" sx={{ mb: 1 }}>
            {endpoints.warning}
          </Typography>
        )}
        {!endpoints.served && (
          <Alert severity="info" sx={{ mb: 1 }}>
            These URLs answer 404 while the plugin is disabled or does not export nd_http_handle_request.
          </Alert>
        )}
        <Table size="small">
          <TableHead>
            <TableRow>
              <TableCell>Path</TableCell>
              <TableCell>URL</TableCell>
              <TableCell>Also at</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {endpoints.urls.length === 0 && (
              <TableRow>
                <TableCell colSpan={3}>
                  <Typography color="text.secondary">No endpoints declared</Typography>
                </TableCell>
              </TableRow>
            )}
            {endpoints.urls.map((u) => (
              <TableRow key={u.path} data-testid="endpoint-row">
                <TableCell>{u.path || "/"}</TableCell>
                <TableCell>
                  <code>{u.url}</code>
                </TableCell>
                <TableCell>
                  <code>{u.restUrl}</code>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
        <Typography variant="caption" display="block" color="text.secondary" sx={{ mt: 1 }}>
          The paths are those the manifest lists; every path under these prefixes reaches the plugin. Responses are sandboxed (no scripts run).
        </Typography>
      </CardContent>
    </Card>
  );
}
