"use client";
import Alert from "@mui/material/Alert";
import Checkbox from "@mui/material/Checkbox";
import FormControlLabel from "@mui/material/FormControlLabel";
import FormGroup from "@mui/material/FormGroup";
import Switch from "@mui/material/Switch";
import Typography from "@mui/material/Typography";

export interface ScopeOption<T> {
  id: T;
  label: string;
  secondary?: string;
}

interface Props<T> {
  kind: "users" | "libraries";
  reason?: string;
  options: ScopeOption<T>[];
  all: boolean;
  selected: T[];
  onChange: (all: boolean, selected: T[]) => void;
}

/**
 * The users and libraries cards (contract §6.6–6.7): an "allow all" switch (which also
 * covers ones added later) or a selection; a warning while neither is configured.
 */
export default function ScopePicker<T extends string | number>({ kind, reason, options, all, selected, onChange }: Props<T>) {
  const noun = kind === "users" ? "users" : "libraries";
  return (
    <div>
      {reason && (
        <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
          Reason: {reason}
        </Typography>
      )}
      <FormControlLabel
        control={<Switch checked={all} onChange={(e) => onChange(e.target.checked, selected)} />}
        label={`Allow all ${noun}`}
      />
      <Typography variant="caption" display="block" color="text.secondary">
        {all ? `Every current and future ${kind === "users" ? "user" : "library"} is included.` : `Only the selected ${noun}.`}
      </Typography>
      {!all && (
        <FormGroup sx={{ mt: 1 }} aria-label={`${noun} selection`}>
          {options.map((o) => (
            <FormControlLabel
              key={String(o.id)}
              control={
                <Checkbox
                  checked={selected.includes(o.id)}
                  onChange={(e) => onChange(false, e.target.checked ? [...selected, o.id] : selected.filter((s) => s !== o.id))}
                />
              }
              label={
                <span>
                  {o.label}{" "}
                  {o.secondary && (
                    <Typography component="span" variant="caption" color="text.secondary">
                      ({o.secondary})
                    </Typography>
                  )}
                </span>
              }
            />
          ))}
        </FormGroup>
      )}
      {!all && selected.length === 0 && (
        <Alert severity="warning" sx={{ mt: 1 }}>
          No {noun} selected: the plugin cannot be enabled until you choose some or allow all.
        </Alert>
      )}
    </div>
  );
}
