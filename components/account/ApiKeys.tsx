"use client";
import Alert from "@mui/material/Alert";
import Button from "@mui/material/Button";
import Card from "@mui/material/Card";
import CardContent from "@mui/material/CardContent";
import Stack from "@mui/material/Stack";
import TextField from "@mui/material/TextField";
import Typography from "@mui/material/Typography";
import { useState } from "react";
import { apiFetch } from "../common/api";
import ApiKeyTable, { type ApiKeyRow } from "./ApiKeyTable";

/** OpenSubsonic API keys: an alternative to the password for Subsonic clients that support it. */
export default function ApiKeys({ initialKeys }: { initialKeys: ApiKeyRow[] }) {
  const [keys, setKeys] = useState(initialKeys);
  const [name, setName] = useState("");
  const [created, setCreated] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function create() {
    setError(null);
    try {
      const r = await apiFetch<ApiKeyRow & { key: string }>("/auth/keys", { method: "POST", body: { name } });
      setCreated(r.key);
      setName("");
      setKeys(await apiFetch<ApiKeyRow[]>("/auth/keys"));
    } catch (err) {
      setError((err as Error).message);
    }
  }

  async function revoke(id: string) {
    await apiFetch(`/auth/keys/${id}`, { method: "DELETE" });
    setKeys(await apiFetch<ApiKeyRow[]>("/auth/keys"));
  }

  return (
    <Card variant="outlined">
      <CardContent>
        <Typography variant="h6" gutterBottom>
          API keys
        </Typography>
        <Typography color="text.secondary" sx={{ mb: 2 }}>
          Subsonic clients that support OpenSubsonic API keys can use one instead of your password (parameter <code>apiKey</code>).
        </Typography>
        {error && <Alert severity="error">{error}</Alert>}
        {created && (
          <Alert severity="success" sx={{ mb: 2 }} onClose={() => setCreated(null)}>
            Your new key (it is shown only now): <code data-testid="new-api-key">{created}</code>
          </Alert>
        )}
        <Stack direction="row" spacing={1} sx={{ mb: 2 }}>
          <TextField size="small" label="Key name" value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. Phone" />
          <Button variant="contained" onClick={create} disabled={!name.trim()}>
            Create key
          </Button>
        </Stack>
        <ApiKeyTable keys={keys} label="api keys" onRevoke={(k) => revoke(k.id)} />
      </CardContent>
    </Card>
  );
}
