"use client";
import Alert from "@mui/material/Alert";
import Button from "@mui/material/Button";
import Checkbox from "@mui/material/Checkbox";
import Dialog from "@mui/material/Dialog";
import DialogActions from "@mui/material/DialogActions";
import DialogContent from "@mui/material/DialogContent";
import DialogTitle from "@mui/material/DialogTitle";
import FormControlLabel from "@mui/material/FormControlLabel";
import Stack from "@mui/material/Stack";
import TextField from "@mui/material/TextField";
import { useState, type FormEvent } from "react";
import { ApiError } from "../common/api";
import BitRateSelect from "../common/BitRateSelect";
import LibraryAccess from "./LibraryAccess";

export interface UserFormValues {
  userName: string;
  name: string;
  email: string;
  password: string;
  isAdmin: boolean;
  allLibraries: boolean;
  libraryIds: number[];
  /** Stream cap in kbps for all the user's players (0 = none). */
  maxBitRate: number;
}

interface Props {
  user: { userName: string; name: string; email: string; isAdmin: boolean; allLibraries: boolean; libraryIds: number[]; maxBitRate: number } | null;
  onSave: (values: UserFormValues) => Promise<void>;
  onCancel: () => void;
}

export default function UserDialog({ user, onSave, onCancel }: Props) {
  const [values, setValues] = useState<UserFormValues>({
    userName: user?.userName ?? "",
    name: user?.name ?? "",
    email: user?.email ?? "",
    password: "",
    isAdmin: user?.isAdmin ?? false,
    // New users see every library (also ones added later) unless the admin narrows it.
    allLibraries: user?.allLibraries ?? true,
    libraryIds: user?.libraryIds ?? [],
    maxBitRate: user?.maxBitRate ?? 0,
  });
  const [fields, setFields] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const set = (k: keyof UserFormValues) => (e: { target: { value: string; checked?: boolean } }) =>
    setValues((v) => ({ ...v, [k]: k === "isAdmin" ? Boolean(e.target.checked) : e.target.value }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setFields({});
    try {
      await onSave(values);
    } catch (err) {
      if (err instanceof ApiError) {
        setFields(err.fields);
        setError(err.message);
      } else setError("The server cannot be reached");
    }
  }

  return (
    <Dialog open onClose={onCancel} fullWidth maxWidth="sm">
      <form onSubmit={submit}>
        <DialogTitle>{user ? `Edit ${user.userName}` : "Add user"}</DialogTitle>
        <DialogContent>
          <Stack spacing={2} sx={{ mt: 1 }}>
            {error && <Alert severity="error">{error}</Alert>}
            <TextField label="User name" value={values.userName} onChange={set("userName")} required error={!!fields.userName} helperText={fields.userName} />
            <TextField label="Name" value={values.name} onChange={set("name")} error={!!fields.name} helperText={fields.name} />
            <TextField label="E-mail" value={values.email} onChange={set("email")} error={!!fields.email} helperText={fields.email} />
            <TextField
              label={user ? "New password (leave empty to keep)" : "Password"}
              type="password"
              value={values.password}
              onChange={set("password")}
              required={!user}
              error={!!fields.password}
              helperText={fields.password}
              autoComplete="new-password"
            />
            <FormControlLabel control={<Checkbox checked={values.isAdmin} onChange={set("isAdmin")} />} label="Administrator" />
            <LibraryAccess
              isAdmin={values.isAdmin}
              all={values.allLibraries}
              selected={values.libraryIds}
              error={fields.libraryIds}
              onChange={(allLibraries, libraryIds) => setValues((v) => ({ ...v, allLibraries, libraryIds }))}
            />
            <BitRateSelect
              label="Max bit rate"
              value={values.maxBitRate}
              onChange={(maxBitRate) => setValues((v) => ({ ...v, maxBitRate }))}
              error={!!fields.maxBitRate}
              helperText={fields.maxBitRate ?? "Streams to every player of this user are transcoded down to this rate"}
            />
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={onCancel}>Cancel</Button>
          <Button type="submit" variant="contained">
            Save
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
