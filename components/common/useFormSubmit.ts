"use client";
import { useState } from "react";
import { ApiError } from "./api";

export interface FormStatus {
  ok: boolean;
  text: string;
}

/**
 * The state every small API form keeps: per-field messages and one status line. `run` clears both,
 * performs the action and shows its success text, or the API's message and field errors (or that
 * the server cannot be reached); `invalid` shows field errors found before sending anything.
 */
export function useFormSubmit() {
  const [fields, setFields] = useState<Record<string, string>>({});
  const [status, setStatus] = useState<FormStatus | null>(null);

  async function run(action: () => Promise<string>): Promise<void> {
    setFields({});
    setStatus(null);
    try {
      setStatus({ ok: true, text: await action() });
    } catch (err) {
      if (err instanceof ApiError) setFields(err.fields);
      setStatus({ ok: false, text: err instanceof ApiError ? err.message : "The server cannot be reached" });
    }
  }

  function invalid(found: Record<string, string>): void {
    setFields(found);
    setStatus(null);
  }

  return { fields, status, run, invalid };
}
