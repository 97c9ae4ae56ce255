import type { PlayerTrack } from "@/components/player/player-types";

/**
 * The browser side of the web player's Subsonic calls: token-authenticated /rest/* URLs for the signed-in user
 * (credentials from GET /api/player/session, never the password), JSON answers unwrapped, and the per-browser
 * `X-ND-Client-Unique-Id` header that names the playback session for scrobbler plugins.
 */
export interface SubsonicCredentials {
  username: string;
  salt: string;
  token: string;
  client: string;
  version: string;
}

export type ParamValue = string | number | boolean | undefined | readonly (string | number)[];

/** Header naming this browser's player (read by lib/subsonic/handlers/scrobble.ts). */
export const CLIENT_ID_HEADER = "X-ND-Client-Unique-Id";

/** A Subsonic `status: failed` answer. */
export class SubsonicCallError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = "SubsonicCallError";
  }
}

export class SubsonicClient {
  constructor(
    private readonly creds: SubsonicCredentials,
    readonly clientId: string,
    private readonly fetchImpl: typeof fetch = (...args) => fetch(...args),
  ) {}

  /** `/rest/<method>?u&t&s&v&c&f=json&…`; repeated values (e.g. several `id`s) become repeated parameters. */
  url(method: string, params: Record<string, ParamValue> = {}): string {
    const q = new URLSearchParams({ u: this.creds.username, t: this.creds.token, s: this.creds.salt, v: this.creds.version, c: this.creds.client, f: "json" });
    for (const [key, value] of Object.entries(params)) {
      if (value === undefined) continue;
      if (Array.isArray(value)) for (const v of value) q.append(key, String(v));
      else q.set(key, String(value));
    }
    return `/rest/${method}?${q}`;
  }

  /** Calls `method` and answers the `subsonic-response` body; a failed status throws {@link SubsonicCallError}. */
  async call<T = Record<string, unknown>>(method: string, params: Record<string, ParamValue> = {}, init: RequestInit = {}): Promise<T> {
    const res = await this.fetchImpl(this.url(method, params), { ...init, headers: { [CLIENT_ID_HEADER]: this.clientId, ...(init.headers ?? {}) } });
    const text = await res.text();
    let body: { "subsonic-response"?: { status?: string; error?: { code?: number; message?: string } } & Record<string, unknown> };
    try {
      body = JSON.parse(text);
    } catch {
      throw new SubsonicCallError(0, `${method}: HTTP ${res.status}`);
    }
    const r = body["subsonic-response"];
    if (!r) throw new SubsonicCallError(0, `${method}: HTTP ${res.status}`);
    if (r.status !== "ok") throw new SubsonicCallError(r.error?.code ?? 0, r.error?.message ?? `${method} failed`);
    return r as T;
  }

  coverArtUrl(id: string, size: number): string {
    return this.url("getCoverArt", { id, size });
  }
}

/** Stream settings of this browser: the original file, or a transcode Chromium's `<audio>` plays. */
export interface StreamSettings {
  /** "raw": the original file (no `format`); otherwise a transcode target. */
  format: "raw" | "mp3" | "opus";
  /** kbps; 0 = no limit. */
  maxBitRate: number;
}

export const DEFAULT_STREAM_SETTINGS: StreamSettings = { format: "raw", maxBitRate: 0 };

/** The stream parameters for `settings`: plain `/rest/stream?id=` for the original file. */
export function streamParams(id: string, settings: StreamSettings): Record<string, ParamValue> {
  const params: Record<string, ParamValue> = { id };
  if (settings.format !== "raw") params.format = settings.format;
  if (settings.maxBitRate > 0) params.maxBitRate = settings.maxBitRate;
  return params;
}

/** A Subsonic song (`Child`) as the player keeps it. */
export interface SubsonicSong {
  id: string;
  title?: string;
  artist?: string;
  artistId?: string;
  album?: string;
  albumId?: string;
  duration?: number;
  coverArt?: string;
  track?: number;
  year?: number;
}

export function songToTrack(s: SubsonicSong): PlayerTrack {
  return {
    id: s.id,
    title: s.title ?? "Unknown title",
    artist: s.artist ?? "Unknown artist",
    artistId: s.artistId,
    album: s.album ?? "",
    albumId: s.albumId,
    duration: s.duration ?? 0,
    coverArt: s.coverArt,
    track: s.track,
    year: s.year,
  };
}
