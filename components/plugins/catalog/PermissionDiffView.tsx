"use client";
import AddCircleOutlineIcon from "@mui/icons-material/AddCircleOutline";
import RemoveCircleOutlineIcon from "@mui/icons-material/RemoveCircleOutline";
import Box from "@mui/material/Box";
import Typography from "@mui/material/Typography";
import type { PermissionDiff } from "@/lib/plugin-catalog/types";
import { diffRows } from "./present";

/**
 * What an update adds (green, marked "added") and removes (struck through, marked "removed"):
 * permissions, hosts, library write access, capabilities. The words carry the meaning too,
 * so it does not depend on colour alone.
 */
export default function PermissionDiffView({ diff }: { diff: PermissionDiff }) {
  const rows = diffRows(diff);
  if (rows.length === 0)
    return (
      <Typography variant="body2" color="text.secondary" data-testid="permission-diff-empty">
        No permission changes: this version asks for nothing new.
      </Typography>
    );
  return (
    <Box component="ul" aria-label="permission changes" data-testid="permission-diff" sx={{ listStyle: "none", p: 0, m: 0 }}>
      {rows.map((r) => (
        <Box
          component="li"
          key={`${r.change}-${r.label}`}
          data-testid={`diff-${r.change}`}
          sx={{ display: "flex", alignItems: "center", gap: 1, py: 0.25, color: r.change === "added" ? "success.dark" : "text.secondary" }}
        >
          {r.change === "added" ? <AddCircleOutlineIcon fontSize="small" aria-hidden /> : <RemoveCircleOutlineIcon fontSize="small" aria-hidden />}
          <Typography variant="body2" component="span" sx={{ fontWeight: r.change === "added" ? 600 : 400, textDecoration: r.change === "removed" ? "line-through" : "none" }}>
            {r.label}
          </Typography>
          <Typography variant="caption" component="span" color="text.secondary">
            ({r.change})
          </Typography>
        </Box>
      ))}
    </Box>
  );
}
