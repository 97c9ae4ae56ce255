"use client";
import { useCallback, useEffect, useState } from "react";
import { apiFetch } from "../../common/api";

/**
 * GETs `url` on mount and whenever it or `revision` changes (the page's data changed under it),
 * and again on `reload()` (after an action).
 * Unlike usePolledJson it keeps the error: the catalog pages show why a list is missing.
 */
export function useJson<T>(url: string | null, revision?: string): { data: T | null; error: string | null; loading: boolean; reload: () => Promise<void> } {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(Boolean(url));
  const reload = useCallback(async () => {
    if (!url) return;
    setLoading(true);
    try {
      setData(await apiFetch<T>(url));
      setError(null);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setLoading(false);
    }
  }, [url]);
  useEffect(() => {
    void reload();
  }, [reload, revision]);
  return { data, error, loading, reload };
}
