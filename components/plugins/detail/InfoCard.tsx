"use client";
import DeleteIcon from "@mui/icons-material/Delete";
import DownloadIcon from "@mui/icons-material/Download";
import Button from "@mui/material/Button";
import Card from "@mui/material/Card";
import CardContent from "@mui/material/CardContent";
import CardHeader from "@mui/material/CardHeader";
import Chip from "@mui/material/Chip";
import Stack from "@mui/material/Stack";
import Table from "@mui/material/Table";
import TableBody from "@mui/material/TableBody";
import TableCell from "@mui/material/TableCell";
import TableRow from "@mui/material/TableRow";
import type { PluginView } from "../types";

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <TableRow>
      <TableCell sx={{ width: 160, color: "text.secondary" }}>{label}</TableCell>
      <TableCell>{children}</TableCell>
    </TableRow>
  );
}

/**
 * Information (contract §6.4 item 3): name, version, author, website, detected
 * capabilities and where the server uses them, file and times; download and delete.
 */
export default function InfoCard({ plugin, onDelete }: { plugin: PluginView; onDelete: () => void }) {
  return (
    <Card variant="outlined">
      <CardHeader
        title={`${plugin.name} ${plugin.version}`}
        subheader={plugin.description}
        action={
          <Stack direction="row" spacing={1}>
            <Button startIcon={<DownloadIcon />} href={`/api/plugin/${encodeURIComponent(plugin.id)}/package`}>
              Download
            </Button>
            <Button color="error" startIcon={<DeleteIcon />} onClick={onDelete}>
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
  );
}
