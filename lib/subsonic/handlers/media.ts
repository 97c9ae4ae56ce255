import "server-only";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { visibleTrackFile } from "../../catalog/visibility";
import { coverArt } from "../../media/covers";
import { libraryIdsFor } from "../access";
import type { SubsonicContext, SubsonicHandler } from "../context";
import { SubsonicError } from "../errors";

/** Parses a single `bytes=` range (the only kind players send); null when absent or unusable. */
export function parseRange(header: string | null, size: number): { start: number; end: number } | "unsatisfiable" | null {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === "" && m[2] === "")) return null;
  let start: number;
  let end: number;
  if (m[1] === "") {
    const suffix = Number(m[2]);
    if (suffix === 0) return "unsatisfiable";
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start >= size || start > end) return "unsatisfiable";
  return { start, end };
}

async function serveFile(ctx: SubsonicContext, disposition: "inline" | "attachment"): Promise<Response> {
  const id = ctx.params.required("id");
  const mf = await visibleTrackFile(id, await libraryIdsFor(ctx.user));
  if (!mf) throw new SubsonicError(70, "Song not found");
  const file = path.join(mf.library.path, mf.path);
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch {
    throw new SubsonicError(70, "Song file is missing; rescan the library");
  }
  // No transcoding yet: every `format`/`maxBitRate` request gets the original stream.
  const headers: Record<string, string> = {
    "Content-Type": mf.contentType,
    "Accept-Ranges": "bytes",
    "Cache-Control": "private, max-age=3600",
  };
  if (disposition === "attachment") headers["Content-Disposition"] = `attachment; filename*=UTF-8''${encodeURIComponent(path.basename(mf.path))}`;
  const range = parseRange(ctx.req?.headers.get("range") ?? null, size);
  if (range === "unsatisfiable") return new Response(null, { status: 416, headers: { ...headers, "Content-Range": `bytes */${size}` } });
  const { start, end } = range ?? { start: 0, end: size - 1 };
  const body = ctx.req?.method === "HEAD" || size === 0 ? null : (Readable.toWeb(createReadStream(file, { start, end })) as ReadableStream);
  headers["Content-Length"] = String(end - start + 1);
  if (range) headers["Content-Range"] = `bytes ${start}-${end}/${size}`;
  return new Response(body, { status: range ? 206 : 200, headers });
}

export const stream: SubsonicHandler = (ctx) => serveFile(ctx, "inline");
export const download: SubsonicHandler = (ctx) => serveFile(ctx, "attachment");

/** Cover art of an album, song, artist or playlist, scaled to `size` pixels when asked. */
export const getCoverArt: SubsonicHandler = async (ctx) => {
  const id = ctx.params.required("id");
  const img = await coverArt(id, await libraryIdsFor(ctx.user), Math.max(0, ctx.params.int("size", 0)));
  if (!img) throw new SubsonicError(70, "Artwork not found");
  return new Response(img.bytes as BodyInit, { headers: { "Content-Type": img.contentType, "Content-Length": String(img.bytes.length), "Cache-Control": "public, max-age=86400" } });
};
