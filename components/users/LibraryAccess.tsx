"use client";
import Alert from "@mui/material/Alert";
import Checkbox from "@mui/material/Checkbox";
import FormControl from "@mui/material/FormControl";
import FormControlLabel from "@mui/material/FormControlLabel";
import FormGroup from "@mui/material/FormGroup";
import FormHelperText from "@mui/material/FormHelperText";
import FormLabel from "@mui/material/FormLabel";
import Switch from "@mui/material/Switch";
import Typography from "@mui/material/Typography";
import { useEffect, useState } from "react";
import { apiFetch } from "../common/api";

interface LibraryOption {
  id: number;
  name: string;
  path: string;
}

interface Props {
  isAdmin: boolean;
  all: boolean;
  selected: number[];
  error?: string;
  onChange: (all: boolean, selected: number[]) => void;
}

/**
 * Which libraries a user browses, as Navidrome's user form: "all libraries" (which also
 * covers libraries added later) or a selection. Admins always see every library.
 */
export default function LibraryAccess({ isAdmin, all, selected, error, onChange }: Props) {
  const [libraries, setLibraries] = useState<LibraryOption[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  useEffect(() => {
    apiFetch<LibraryOption[]>("/api/library").then(setLibraries, (err: Error) => setLoadError(err.message));
  }, []);

  return (
    <FormControl component="fieldset" error={!!error}>
      <FormLabel component="legend">Library access</FormLabel>
      {isAdmin ? (
        <Typography variant="body2" color="text.secondary">
          Administrators see every library.
        </Typography>
      ) : (
        <>
          <FormControlLabel control={<Switch checked={all} onChange={(e) => onChange(e.target.checked, selected)} />} label="All libraries" />
          <Typography variant="caption" color="text.secondary">
            {all ? "Every current library and any added later." : "Only the libraries selected below."}
          </Typography>
          {!all && (
            <FormGroup role="group" aria-label="libraries">
              {loadError && <Alert severity="error">Libraries could not be loaded: {loadError}</Alert>}
              {libraries?.length === 0 && <Typography variant="body2">No libraries yet.</Typography>}
              {libraries?.map((l) => (
                <FormControlLabel
                  key={l.id}
                  control={
                    <Checkbox
                      checked={selected.includes(l.id)}
                      onChange={(e) => onChange(false, e.target.checked ? [...selected, l.id] : selected.filter((id) => id !== l.id))}
                    />
                  }
                  label={l.name}
                />
              ))}
            </FormGroup>
          )}
          {!all && selected.length === 0 && (
            <Alert severity="warning" sx={{ mt: 1 }}>
              No library selected: this user will see an empty catalogue.
            </Alert>
          )}
        </>
      )}
      {error && <FormHelperText>{error}</FormHelperText>}
    </FormControl>
  );
}
