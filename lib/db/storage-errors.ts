/**
 * Recognises storage failures in errors from Prisma, the SQLite driver or the file system
 * (the cause chain is searched), so they reach admins as one clear sentence instead of
 * "internal server error".
 */
export function describeStorageError(err: unknown): string | null {
  for (let e = err as { message?: string; code?: string; cause?: unknown } | undefined, depth = 0; e && depth < 6; e = e.cause as typeof e, depth++) {
    const text = `${e.code ?? ""} ${e.message ?? ""}`;
    if (/SQLITE_FULL|ENOSPC|database or disk is full|no space left on device/i.test(text)) return "the server's disk is full: free space in the data folder and try again";
    if (/SQLITE_READONLY|EROFS|attempt to write a readonly database/i.test(text)) return "the data folder is read-only: the server cannot save changes";
    if (/SQLITE_CORRUPT|database disk image is malformed/i.test(text)) return "the database file is damaged: restore it from a backup";
  }
  return null;
}
