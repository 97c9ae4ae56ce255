"use client";
import ContentCopyIcon from "@mui/icons-material/ContentCopy";
import IconButton from "@mui/material/IconButton";
import InputAdornment from "@mui/material/InputAdornment";
import TextField from "@mui/material/TextField";
import Tooltip from "@mui/material/Tooltip";
import { useState } from "react";

/** The server address to paste into a Subsonic client, with a copy button. */
export default function SubsonicAddress({ address }: { address: string }) {
  const [copied, setCopied] = useState(false);

  async function copy() {
    try {
      await navigator.clipboard.writeText(address);
      setCopied(true);
      setTimeout(() => setCopied(false), 2000);
    } catch {
      // No clipboard (plain http on another host): the field stays selectable by hand.
      setCopied(false);
    }
  }

  return (
    <TextField
      label="Subsonic server address"
      value={address}
      fullWidth
      size="small"
      slotProps={{
        input: {
          readOnly: true,
          endAdornment: (
            <InputAdornment position="end">
              <Tooltip title={copied ? "Copied" : "Copy"}>
                <IconButton aria-label="copy the Subsonic server address" onClick={copy} edge="end">
                  <ContentCopyIcon />
                </IconButton>
              </Tooltip>
            </InputAdornment>
          ),
        },
        htmlInput: { "data-testid": "subsonic-address", onFocus: (e: { target: HTMLInputElement }) => e.target.select() },
      }}
      helperText={copied ? "Copied to the clipboard" : "Use it with your user name and password (or an API key from your account page)."}
    />
  );
}
