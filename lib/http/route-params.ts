import { AppError } from "../errors";

/**
 * A numeric route segment (`/api/library/:id`): a positive decimal integer that fits the
 * database's 32-bit ids, or INVALID_INPUT (400) naming what was expected. `Number()` alone
 * lets `abc`, `1.5` and `1e3` through to the database, which fails them as a 500.
 */
export function parseIdParam(value: string, what: string): number {
  const id = /^[1-9]\d{0,9}$/.test(value) ? Number(value) : NaN;
  if (!(id <= 2 ** 31 - 1)) throw new AppError("INVALID_INPUT", `invalid ${what} id`);
  return id;
}
