"use client";
import Star from "@mui/icons-material/Star";
import StarBorder from "@mui/icons-material/StarBorder";
import IconButton from "@mui/material/IconButton";
import Tooltip from "@mui/material/Tooltip";
import type { ItemKind } from "@/lib/browse/types";
import { useMark } from "./useMarks";

/** Star toggle for a track, album or artist; labelled "Star <name>" / "Unstar <name>". */
export default function StarButton({ type, id, name, starred, size = "small" }: { type: ItemKind; id: string; name: string; starred: boolean; size?: "small" | "medium" }) {
  const { value, update, error } = useMark("star", type, id, starred);
  const label = `${value ? "Unstar" : "Star"} ${name}`;
  return (
    <Tooltip title={error ?? (value ? "Unstar" : "Star")}>
      <IconButton aria-label={label} aria-pressed={value} size={size} onClick={() => update(!value)} color={value ? "warning" : "default"}>
        {value ? <Star fontSize="inherit" /> : <StarBorder fontSize="inherit" />}
      </IconButton>
    </Tooltip>
  );
}
