"use client";
import { useEffect, useState } from "react";
import { apiFetch } from "./api";

/**
 * GETs `url` now and every `intervalMs` while the component is mounted (cards showing live
 * background state); failed polls keep the last answer. Null until the first answer.
 */
export function usePolledJson<T>(url: string, intervalMs = 5000): T | null {
  const [value, setValue] = useState<T | null>(null);
  useEffect(() => {
    let stop = false;
    const load = () => apiFetch<T>(url).then((v) => !stop && setValue(v), () => undefined);
    void load();
    const t = setInterval(load, intervalMs);
    return () => {
      stop = true;
      clearInterval(t);
    };
  }, [url, intervalMs]);
  return value;
}
