"use client";
import Alert from "@mui/material/Alert";
import Button from "@mui/material/Button";
import Card from "@mui/material/Card";
import CardContent from "@mui/material/CardContent";
import Stack from "@mui/material/Stack";
import TextField from "@mui/material/TextField";
import Typography from "@mui/material/Typography";
import { useState, type FormEvent } from "react";
import { apiFetch } from "../common/api";
import { useFormSubmit } from "../common/useFormSubmit";

const EMPTY = { currentPassword: "", password: "", confirm: "" };

/**
 * Changes the signed-in user's password (PUT /api/account, with the current password).
 * The server signs out the user's other sessions; this one continues.
 */
export default function PasswordForm() {
  const [values, setValues] = useState(EMPTY);
  const { fields, status, run, invalid } = useFormSubmit();
  const set = (k: keyof typeof EMPTY) => (e: { target: { value: string } }) => setValues((v) => ({ ...v, [k]: e.target.value }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (values.password !== values.confirm) return invalid({ confirm: "does not match the new password" });
    await run(async () => {
      await apiFetch("/api/account", { method: "PUT", body: { currentPassword: values.currentPassword, password: values.password } });
      setValues(EMPTY);
      return "Password changed. Your other sessions were signed out; Subsonic clients need the new password.";
    });
  }

  return (
    <Card variant="outlined">
      <CardContent>
        <Typography variant="h6" component="h2" gutterBottom>
          Password
        </Typography>
        <form onSubmit={submit} aria-label="change password">
          <Stack spacing={2} sx={{ maxWidth: 420 }}>
            {status && (
              <Alert severity={status.ok ? "success" : "error"} data-testid="password-status">
                {status.text}
              </Alert>
            )}
            <TextField
              label="Current password"
              type="password"
              value={values.currentPassword}
              onChange={set("currentPassword")}
              required
              autoComplete="current-password"
              error={!!fields.currentPassword}
              helperText={fields.currentPassword}
            />
            <TextField label="New password" type="password" value={values.password} onChange={set("password")} required autoComplete="new-password" error={!!fields.password} helperText={fields.password} />
            <TextField label="Confirm new password" type="password" value={values.confirm} onChange={set("confirm")} required autoComplete="new-password" error={!!fields.confirm} helperText={fields.confirm} />
            <div>
              <Button type="submit" variant="contained">
                Change password
              </Button>
            </div>
          </Stack>
        </form>
      </CardContent>
    </Card>
  );
}
