"use client";
import Alert from "@mui/material/Alert";
import Button from "@mui/material/Button";
import Dialog from "@mui/material/Dialog";
import DialogActions from "@mui/material/DialogActions";
import DialogContent from "@mui/material/DialogContent";
import DialogTitle from "@mui/material/DialogTitle";
import Typography from "@mui/material/Typography";
import { useEffect, useState } from "react";
import ApiKeyTable, { type ApiKeyRow } from "../account/ApiKeyTable";
import { apiFetch } from "../common/api";

/** An admin's view of another user's OpenSubsonic API keys, with revocation (a lost phone, a leaked key). */
export default function UserKeysDialog({ user, onClose }: { user: { id: string; userName: string }; onClose: () => void }) {
  const [keys, setKeys] = useState<ApiKeyRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const url = `/api/user/${encodeURIComponent(user.id)}/keys`;

  useEffect(() => {
    apiFetch<ApiKeyRow[]>(url).then(setKeys, (err) => setError((err as Error).message));
  }, [url]);

  async function revoke(key: ApiKeyRow) {
    setError(null);
    try {
      await apiFetch(`${url}/${encodeURIComponent(key.id)}`, { method: "DELETE" });
      setKeys(await apiFetch<ApiKeyRow[]>(url));
    } catch (err) {
      setError((err as Error).message);
    }
  }

  return (
    <Dialog open onClose={onClose} maxWidth="sm" fullWidth>
      <DialogTitle>API keys of {user.userName}</DialogTitle>
      <DialogContent>
        {error && <Alert severity="error">{error}</Alert>}
        {keys && keys.length === 0 && <Typography color="text.secondary">This user has no API keys.</Typography>}
        {keys && keys.length > 0 && (
          <ApiKeyTable keys={keys} label={`api keys of ${user.userName}`} onRevoke={revoke} />
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Close</Button>
      </DialogActions>
    </Dialog>
  );
}
