"use client";
import Table from "@mui/material/Table";
import TableBody from "@mui/material/TableBody";
import TableCell from "@mui/material/TableCell";
import TableHead from "@mui/material/TableHead";
import TableRow from "@mui/material/TableRow";
import BitRateSelect from "../common/BitRateSelect";

/** A player as GET /api/transcoding lists it (dates as JSON strings). */
export interface PlayerRow {
  id: string;
  name: string;
  client: string;
  userAgent: string;
  userId: string;
  maxBitRate: number;
  lastSeen: string;
}

/** The players of the signed-in user, each with its max bit rate select. */
export default function PlayersTable({ players, onChange }: { players: PlayerRow[]; onChange: (p: PlayerRow, kbps: number) => void }) {
  return (
    <Table size="small" aria-label="players">
      <TableHead>
        <TableRow>
          <TableCell>Name</TableCell>
          <TableCell>Client</TableCell>
          <TableCell>Last seen</TableCell>
          <TableCell>Max bit rate</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {players.map((p) => (
          <TableRow key={p.id} data-testid={`player-row-${p.client}`}>
            <TableCell>{p.name}</TableCell>
            <TableCell>{p.client}</TableCell>
            <TableCell>{new Date(p.lastSeen).toLocaleString()}</TableCell>
            <TableCell>
              <BitRateSelect value={p.maxBitRate} onChange={(kbps) => onChange(p, kbps)} ariaLabel={`Max bit rate of ${p.name}`} />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
