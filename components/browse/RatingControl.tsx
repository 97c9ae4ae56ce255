"use client";
import Rating from "@mui/material/Rating";
import type { ItemKind } from "@/lib/browse/types";
import { useMark } from "./useMarks";

/** 1–5 stars for a track, album or artist; choosing the current value again clears it. */
export default function RatingControl({ type, id, name, rating }: { type: ItemKind; id: string; name: string; rating: number }) {
  const { value, update, error } = useMark("rating", type, id, rating);
  return (
    <Rating
      name={`rating-${type}-${id}`}
      size="small"
      value={value || null}
      onChange={(_, v) => update(v ?? 0)}
      role="radiogroup"
      aria-label={`Rating for ${name}`}
      title={error ?? undefined}
    />
  );
}
