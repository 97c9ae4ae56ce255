import type { SubsonicHandler } from "./context";
import { getLicense, getOpenSubsonicExtensions, ping } from "./handlers/system";

/** Subsonic method name → handler. Methods not listed answer error 0 "not implemented". */
export const routes: Record<string, SubsonicHandler> = {
  ping,
  getLicense,
  getOpenSubsonicExtensions,
};

/** Methods that answer without authentication (OpenSubsonic allows it for the extension list). */
export const publicMethods = new Set(["getOpenSubsonicExtensions"]);
