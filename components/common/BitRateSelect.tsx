"use client";
import MenuItem from "@mui/material/MenuItem";
import TextField from "@mui/material/TextField";
import { bitRateLabel, bitRateOptions } from "./bit-rates";

interface Props {
  value: number;
  onChange: (kbps: number) => void;
  /** Visible label (forms). */
  label?: string;
  /** Accessible name when there is no visible label (a select in a table row). */
  ariaLabel?: string;
  helperText?: string;
  error?: boolean;
  disabled?: boolean;
}

/** A max bit rate select: No limit, or one of the usual kbps steps (a stored odd value is kept). */
export default function BitRateSelect({ value, onChange, label, ariaLabel, helperText, error, disabled }: Props) {
  return (
    <TextField
      select
      size="small"
      label={label}
      value={value}
      onChange={(e) => onChange(Number(e.target.value))}
      helperText={helperText}
      error={error}
      disabled={disabled}
      sx={{ minWidth: 140 }}
      // Without a visible label MUI labels the combobox by nothing but its value: name it.
      slotProps={ariaLabel ? { select: { inputProps: { "aria-label": ariaLabel } } } : undefined}
    >
      {bitRateOptions(value).map((kbps) => (
        <MenuItem key={kbps} value={kbps}>
          {bitRateLabel(kbps)}
        </MenuItem>
      ))}
    </TextField>
  );
}
