"use client";
import AddIcon from "@mui/icons-material/Add";
import DeleteIcon from "@mui/icons-material/Delete";
import EditIcon from "@mui/icons-material/Edit";
import KeyIcon from "@mui/icons-material/Key";
import Alert from "@mui/material/Alert";
import Button from "@mui/material/Button";
import Chip from "@mui/material/Chip";
import IconButton from "@mui/material/IconButton";
import Paper from "@mui/material/Paper";
import Stack from "@mui/material/Stack";
import Table from "@mui/material/Table";
import TableBody from "@mui/material/TableBody";
import TableCell from "@mui/material/TableCell";
import TableHead from "@mui/material/TableHead";
import TableRow from "@mui/material/TableRow";
import { useState } from "react";
import ConfirmDialog from "../common/ConfirmDialog";
import UserDialog, { type UserFormValues } from "./UserDialog";
import UserKeysDialog from "./UserKeysDialog";
import { apiFetch } from "../common/api";
import { bitRateLabel } from "../common/bit-rates";

export interface UserRowData {
  id: string;
  userName: string;
  name: string;
  email: string;
  isAdmin: boolean;
  allLibraries: boolean;
  libraryIds: number[];
  maxBitRate: number;
  lastLoginAt: string | null;
}

/** What the Libraries column says about a user's access. */
function accessLabel(u: UserRowData): string {
  if (u.isAdmin || u.allLibraries) return "all";
  if (u.libraryIds.length === 0) return "none";
  return `${u.libraryIds.length} selected`;
}

export default function UserTable({ initialUsers, currentUserId }: { initialUsers: UserRowData[]; currentUserId: string }) {
  const [users, setUsers] = useState(initialUsers);
  const [editing, setEditing] = useState<UserRowData | "new" | null>(null);
  const [deleting, setDeleting] = useState<UserRowData | null>(null);
  const [keysOf, setKeysOf] = useState<UserRowData | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function reload() {
    setUsers(await apiFetch<UserRowData[]>("/api/user"));
  }

  async function save(values: UserFormValues) {
    const isNew = editing === "new";
    const body = { ...values, ...(values.password ? {} : { password: undefined }) };
    await apiFetch(isNew ? "/api/user" : `/api/user/${(editing as UserRowData).id}`, { method: isNew ? "POST" : "PUT", body });
    setEditing(null);
    await reload();
  }

  async function remove(u: UserRowData) {
    setError(null);
    try {
      await apiFetch(`/api/user/${u.id}`, { method: "DELETE" });
      await reload();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setDeleting(null);
    }
  }

  return (
    <Stack spacing={2}>
      {error && <Alert severity="error">{error}</Alert>}
      <div>
        <Button variant="contained" startIcon={<AddIcon />} onClick={() => setEditing("new")}>
          Add user
        </Button>
      </div>
      <Paper variant="outlined">
        <Table size="small" aria-label="users">
          <TableHead>
            <TableRow>
              <TableCell>User name</TableCell>
              <TableCell>Name</TableCell>
              <TableCell>E-mail</TableCell>
              <TableCell>Role</TableCell>
              <TableCell>Libraries</TableCell>
              <TableCell>Max bit rate</TableCell>
              <TableCell>Last login</TableCell>
              <TableCell align="right">Actions</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {users.length === 0 && (
              <TableRow>
                <TableCell colSpan={8} align="center" sx={{ color: "text.secondary", py: 3 }}>
                  No users yet
                </TableCell>
              </TableRow>
            )}
            {users.map((u) => (
              <TableRow key={u.id} data-testid={`user-row-${u.userName}`}>
                <TableCell>{u.userName}</TableCell>
                <TableCell>{u.name}</TableCell>
                <TableCell>{u.email}</TableCell>
                <TableCell>{u.isAdmin ? <Chip size="small" color="primary" label="admin" /> : "user"}</TableCell>
                <TableCell data-testid={`user-libraries-${u.userName}`}>
                  {accessLabel(u) === "none" ? <Chip size="small" color="warning" label="none" /> : accessLabel(u)}
                </TableCell>
                <TableCell data-testid={`user-max-bit-rate-${u.userName}`}>{bitRateLabel(u.maxBitRate)}</TableCell>
                <TableCell>{u.lastLoginAt ? new Date(u.lastLoginAt).toLocaleString() : "never"}</TableCell>
                <TableCell align="right">
                  <IconButton aria-label={`edit ${u.userName}`} onClick={() => setEditing(u)}>
                    <EditIcon />
                  </IconButton>
                  <IconButton aria-label={`api keys of ${u.userName}`} onClick={() => setKeysOf(u)}>
                    <KeyIcon />
                  </IconButton>
                  <IconButton aria-label={`delete ${u.userName}`} onClick={() => setDeleting(u)} disabled={u.id === currentUserId}>
                    <DeleteIcon />
                  </IconButton>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Paper>
      {editing && <UserDialog user={editing === "new" ? null : editing} onCancel={() => setEditing(null)} onSave={save} />}
      {keysOf && <UserKeysDialog user={keysOf} onClose={() => setKeysOf(null)} />}
      {deleting && (
        <ConfirmDialog
          title={`Delete ${deleting.userName}?`}
          message="The user, their playlists, stars and ratings are removed. This cannot be undone."
          confirmLabel="Delete"
          onCancel={() => setDeleting(null)}
          onConfirm={() => remove(deleting)}
        />
      )}
    </Stack>
  );
}
