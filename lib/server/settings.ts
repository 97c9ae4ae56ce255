import "server-only";
import { loadConfig, type Config } from "../config";
import { remember } from "./remember";

const holder = remember("settings", () => ({ config: null as Config | null }));

/** The configuration loaded at boot (loaded on first use in processes that did not boot, e.g. scripts). */
export function settings(): Config {
  return (holder.config ??= loadConfig());
}

export function setSettings(config: Config): void {
  holder.config = config;
}
