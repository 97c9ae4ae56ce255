import { DEFAULT_STREAM_SETTINGS, type StreamSettings } from "./subsonic-client";
import type { RepeatMode } from "./queue";

/**
 * What the web player remembers per browser (localStorage): its stable client id, volume, repeat/shuffle and stream
 * settings. Every read tolerates missing or garbled values; storage may be unavailable (private mode) too.
 */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

const CLIENT_ID_KEY = "tessitura.player.clientId";
const PREFS_KEY = "tessitura.player.prefs";
/** Test hook: a shorter heartbeat for the e2e spec (milliseconds, at least 500). */
export const HEARTBEAT_KEY = "tessitura.player.heartbeatMs";

export interface PlayerPrefs {
  volume: number;
  muted: boolean;
  repeat: RepeatMode;
  shuffle: boolean;
  stream: StreamSettings;
}

export const DEFAULT_PREFS: PlayerPrefs = { volume: 1, muted: false, repeat: "off", shuffle: false, stream: DEFAULT_STREAM_SETTINGS };

/** This browser's player id, created once and kept: the `X-ND-Client-Unique-Id` of every report. */
export function clientIdFrom(store: KeyValueStore | null, makeId: () => string): string {
  const existing = safeGet(store, CLIENT_ID_KEY);
  if (existing && /^[\w-]{8,64}$/.test(existing)) return existing;
  const id = makeId();
  safeSet(store, CLIENT_ID_KEY, id);
  return id;
}

export function loadPrefs(store: KeyValueStore | null): PlayerPrefs {
  let raw: Partial<PlayerPrefs> = {};
  try {
    raw = JSON.parse(safeGet(store, PREFS_KEY) ?? "{}") ?? {};
  } catch {
    raw = {};
  }
  const volume = typeof raw.volume === "number" && raw.volume >= 0 && raw.volume <= 1 ? raw.volume : DEFAULT_PREFS.volume;
  const repeat = raw.repeat === "all" || raw.repeat === "one" ? raw.repeat : "off";
  const s = raw.stream ?? DEFAULT_STREAM_SETTINGS;
  const format = s.format === "mp3" || s.format === "opus" ? s.format : "raw";
  const maxBitRate = Number.isInteger(s.maxBitRate) && s.maxBitRate > 0 && s.maxBitRate <= 1411 ? s.maxBitRate : 0;
  return { volume, muted: raw.muted === true, repeat, shuffle: raw.shuffle === true, stream: { format, maxBitRate } };
}

export function savePrefs(store: KeyValueStore | null, prefs: PlayerPrefs): void {
  safeSet(store, PREFS_KEY, JSON.stringify(prefs));
}

export function heartbeatMsFrom(store: KeyValueStore | null, fallback: number): number {
  const n = Number(safeGet(store, HEARTBEAT_KEY));
  return Number.isFinite(n) && n >= 500 ? n : fallback;
}

function safeGet(store: KeyValueStore | null, key: string): string | null {
  try {
    return store?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

function safeSet(store: KeyValueStore | null, key: string, value: string): void {
  try {
    store?.setItem(key, value);
  } catch {
    // Storage full or disabled: the player works, it just forgets.
  }
}
