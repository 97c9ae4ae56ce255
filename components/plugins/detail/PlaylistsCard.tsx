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
import type { PluginPlaylistsView as PluginPlaylists } from "@/lib/plugin-admin/plugin-playlists";
import { usePolledJson } from "../../common/usePolledJson";

const when = (s: string | null) => (s ? new Date(s).toLocaleString() : "—");

/**
 * The playlists a PlaylistProvider plugin keeps (addendum A3): who owns each, when it was
 * last refreshed and when it will be next. Refreshed every few seconds; hidden for plugins
 * that provide none.
 */
export default function PlaylistsCard({ pluginId }: { pluginId: string }) {
  const view = usePolledJson<PluginPlaylists>(`/api/plugin/${encodeURIComponent(pluginId)}/playlists`);
  if (!view || (!view.syncing && view.playlists.length === 0)) return null;
  return (
    <Card variant="outlined" data-testid="playlists-card">
      <CardHeader title="Playlists" subheader="Read-only playlists this plugin provides and keeps up to date" />
      <CardContent>
        <Typography variant="body2" data-testid="playlists-discovery">
          {view.syncing ? `List refreshed ${when(view.lastDiscoveryAt)}; next refresh ${when(view.nextDiscoveryAt)}` : "Not refreshing: the plugin is not running"}
          {view.lastError && ` — last error: ${view.lastError}`}
        </Typography>
        <Table size="small" aria-label="plugin playlists" sx={{ mt: 1 }}>
          <TableHead>
            <TableRow>
              <TableCell>Playlist</TableCell>
              <TableCell>Owner</TableCell>
              <TableCell align="right">Tracks</TableCell>
              <TableCell>Last refresh</TableCell>
              <TableCell>Next refresh</TableCell>
              <TableCell>Last error</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {view.playlists.map((p) => (
              <TableRow key={p.id} data-testid={`plugin-playlist-${p.pluginPlaylistId}`}>
                <TableCell>{p.name}</TableCell>
                <TableCell>{p.owner}</TableCell>
                <TableCell align="right">{p.tracks}</TableCell>
                <TableCell>{when(p.lastSyncAt)}</TableCell>
                <TableCell>{when(p.nextSyncAt)}</TableCell>
                <TableCell>{p.lastError}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </CardContent>
    </Card>
  );
}
