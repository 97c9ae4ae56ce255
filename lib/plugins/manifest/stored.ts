import type { Manifest } from "./types";

/**
 * Reads the `manifest` column. It holds our own re-serialisation (contract §1.9), written
 * only after a full parse, so it is trusted as is; a damaged value reads as an empty
 * manifest rather than taking pages down.
 */
export function parseStoredManifest(text: string): Manifest {
  try {
    return JSON.parse(text) as Manifest;
  } catch {
    return { name: "", author: "", version: "" } as Manifest;
  }
}
