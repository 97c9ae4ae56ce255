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

/** The signed-in user's display name and e-mail (PUT /api/account). */
export default function ProfileForm({ userName, initial }: { userName: string; initial: { name: string; email: string } }) {
  const [values, setValues] = useState(initial);
  const { fields, status, run } = useFormSubmit();

  async function submit(e: FormEvent) {
    e.preventDefault();
    await run(async () => {
      const saved = await apiFetch<{ name: string; email: string }>("/api/account", { method: "PUT", body: values });
      setValues({ name: saved.name, email: saved.email });
      return "Profile saved";
    });
  }

  return (
    <Card variant="outlined">
      <CardContent>
        <Typography variant="h6" component="h2" gutterBottom>
          Profile
        </Typography>
        <form onSubmit={submit} aria-label="profile">
          <Stack spacing={2} sx={{ maxWidth: 420 }}>
            {status && <Alert severity={status.ok ? "success" : "error"}>{status.text}</Alert>}
            <TextField label="User name" value={userName} disabled helperText="Only an administrator can change it" />
            <TextField label="Display name" value={values.name} onChange={(e) => setValues((v) => ({ ...v, name: e.target.value }))} error={!!fields.name} helperText={fields.name} />
            <TextField label="E-mail" type="email" value={values.email} onChange={(e) => setValues((v) => ({ ...v, email: e.target.value }))} error={!!fields.email} helperText={fields.email} />
            <div>
              <Button type="submit" variant="contained">
                Save profile
              </Button>
            </div>
          </Stack>
        </form>
      </CardContent>
    </Card>
  );
}
