"use client";
import Chip from "@mui/material/Chip";
import Tooltip from "@mui/material/Tooltip";
import type { SignatureStatus } from "@/lib/plugin-catalog/types";
import { signatureBadge } from "./present";

/** The package's signature status as one of four distinct badges, explained on hover/focus. */
export default function SignatureBadge({ status }: { status: SignatureStatus }) {
  const b = signatureBadge(status);
  return (
    <Tooltip title={b.title}>
      <Chip size="small" variant={status === "unsigned" ? "outlined" : "filled"} color={b.color} label={b.label} data-testid={`signature-${status}`} tabIndex={0} aria-label={`signature: ${b.label}. ${b.title}`} />
    </Tooltip>
  );
}
