"use client";
import Alert from "@mui/material/Alert";
import Box from "@mui/material/Box";
import Button from "@mui/material/Button";
import Paper from "@mui/material/Paper";
import TextField from "@mui/material/TextField";
import Typography from "@mui/material/Typography";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";

/** The login and first-run admin forms: same fields, different endpoint and wording. */
export default function CredentialsForm({ mode }: { mode: "login" | "createAdmin" }) {
  const router = useRouter();
  const [username, setUsername] = useState(mode === "createAdmin" ? "admin" : "");
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (mode === "createAdmin" && password !== confirm) {
      setError("The passwords do not match");
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const res = await fetch(mode === "login" ? "/auth/login" : "/auth/createAdmin", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ username, password }),
      });
      if (!res.ok) {
        const body = await res.json().catch(() => ({}));
        setError(body.error ?? `Request failed (${res.status})`);
        return;
      }
      router.push("/");
      router.refresh();
    } catch {
      setError("The server cannot be reached");
    } finally {
      setBusy(false);
    }
  }

  return (
    <Box sx={{ minHeight: "100vh", display: "grid", placeItems: "center", bgcolor: "grey.100" }}>
      <Paper component="form" onSubmit={submit} sx={{ p: 4, width: 380, display: "grid", gap: 2 }} elevation={3}>
        <Typography variant="h5" component="h1">
          {mode === "login" ? "Sign in to Tessitura" : "Create the first admin"}
        </Typography>
        {mode === "createAdmin" && (
          <Typography variant="body2" color="text.secondary">
            No users exist yet. The account you create now administers this server.
          </Typography>
        )}
        {error && (
          <Alert severity="error" role="alert">
            {error}
          </Alert>
        )}
        <TextField label="Username" value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="username" required autoFocus />
        <TextField
          label="Password"
          type="password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          autoComplete={mode === "login" ? "current-password" : "new-password"}
          required
        />
        {mode === "createAdmin" && (
          <TextField label="Confirm password" type="password" value={confirm} onChange={(e) => setConfirm(e.target.value)} autoComplete="new-password" required />
        )}
        <Button type="submit" variant="contained" size="large" disabled={busy}>
          {mode === "login" ? "Sign in" : "Create admin"}
        </Button>
      </Paper>
    </Box>
  );
}
