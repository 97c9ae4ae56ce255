"use client";
import DeleteIcon from "@mui/icons-material/Delete";
import IconButton from "@mui/material/IconButton";
import Table from "@mui/material/Table";
import TableBody from "@mui/material/TableBody";
import TableCell from "@mui/material/TableCell";
import TableHead from "@mui/material/TableHead";
import TableRow from "@mui/material/TableRow";
import Typography from "@mui/material/Typography";

/** An API key as listed (never the key itself: only its hash is stored). */
export interface ApiKeyRow {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
}

/** The keys of one user with a revoke button each (the account page and the admin's users page). */
export default function ApiKeyTable({ keys, label, onRevoke }: { keys: ApiKeyRow[]; label: string; onRevoke: (key: ApiKeyRow) => void }) {
  if (keys.length === 0) {
    return (
      <Typography color="text.secondary" sx={{ py: 2 }} aria-label={label}>
        No API keys yet
      </Typography>
    );
  }
  return (
    <Table size="small" aria-label={label}>
      <TableHead>
        <TableRow>
          <TableCell>Name</TableCell>
          <TableCell>Created</TableCell>
          <TableCell>Last used</TableCell>
          <TableCell />
        </TableRow>
      </TableHead>
      <TableBody>
        {keys.map((k) => (
          <TableRow key={k.id}>
            <TableCell>{k.name}</TableCell>
            <TableCell>{new Date(k.createdAt).toLocaleString()}</TableCell>
            <TableCell>{k.lastUsedAt ? new Date(k.lastUsedAt).toLocaleString() : "never"}</TableCell>
            <TableCell align="right">
              <IconButton aria-label={`revoke ${k.name}`} onClick={() => onRevoke(k)}>
                <DeleteIcon />
              </IconButton>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
