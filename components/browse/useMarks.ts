"use client";
import { useState } from "react";
import { apiFetch } from "@/components/common/api";
import type { ItemKind } from "@/lib/browse/types";

/**
 * A star or rating shown optimistically: the control changes at once, and goes back (with the
 * error kept for a message) when the server refuses.
 */
export function useMark<T>(kind: "star" | "rating", type: ItemKind, id: string, initial: T) {
  const [value, setValue] = useState<T>(initial);
  const [error, setError] = useState<string | null>(null);
  async function update(next: T) {
    const before = value;
    setValue(next);
    setError(null);
    try {
      await apiFetch(`/api/browse/${kind}`, { method: "POST", body: kind === "star" ? { type, id, starred: next } : { type, id, rating: next } });
    } catch (err) {
      setValue(before);
      setError((err as Error).message);
    }
  }
  return { value, update, error };
}
