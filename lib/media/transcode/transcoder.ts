import "server-only";
import { createHash } from "node:crypto";
import { EventEmitter } from "node:events";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { parseSize, type Config } from "../../config";
import { AppError } from "../../errors";
import { log } from "../../log";
import { remember } from "../../server/remember";
import { settings } from "../../server/settings";
import { TranscodeDiskCache } from "./disk-cache";
import { ffmpegMissingMessage, locateFfmpeg, ProcessLimiter } from "./ffmpeg";
import { TranscodeJob } from "./job";
import { buildArgs, profilesFrom, type TranscodeFormat, type TranscodeProfile } from "./profiles";

/** One output to produce: a source file (identified with its size and mtime) at a format, rate and offset. */
export interface TranscodeRequest {
  file: string;
  size: number;
  mtimeMs: number;
  format: TranscodeFormat;
  bitRate: number;
  offsetSeconds: number;
}

/** A complete cached output (serve it like a file, ranges included) or a live one. */
export type TranscodeOutput =
  | { kind: "cached"; file: string; size: number; profile: TranscodeProfile }
  | { kind: "live"; stream: ReadableStream<Uint8Array>; leave: () => void; profile: TranscodeProfile };

/**
 * The transcoding service: ffmpeg location, profiles, the process limiter, the disk
 * cache, and the jobs in flight (one per output key). Its `events` emit "spawn" (pid) and
 * "exit" ({ key, end }) for every ffmpeg run, which the logs and tests observe.
 */
export class Transcoder {
  readonly ffmpeg: string | null;
  readonly profiles: Record<TranscodeFormat, TranscodeProfile>;
  readonly events = new EventEmitter();
  readonly cache: TranscodeDiskCache | null;
  private readonly limiter: ProcessLimiter;
  private readonly jobs = new Map<string, TranscodeJob>();
  /** ffmpeg processes started since boot. */
  spawned = 0;

  constructor(readonly config: Config) {
    const t = config.Transcoding;
    this.profiles = profilesFrom(t);
    this.ffmpeg = t.Enabled ? locateFfmpeg(t.FFmpegPath) : null;
    if (t.Enabled && !this.ffmpeg) log.warn(ffmpegMissingMessage(t.FFmpegPath));
    this.limiter = new ProcessLimiter(t.MaxConcurrent);
    const limit = parseSize(t.CacheSize);
    const folder = t.CacheFolder ? path.resolve(t.CacheFolder) : path.join(config.resolved.cacheFolder, "transcoding");
    this.cache = this.ffmpeg && limit > 0 ? new TranscodeDiskCache(folder, limit) : null;
    this.events.setMaxListeners(0);
  }

  /** Whether transcoding can happen at all (enabled, and ffmpeg found). */
  get available(): boolean {
    return this.ffmpeg !== null;
  }

  /** Why transcoding is off, for the response header and logs; null when it is on. */
  get unavailableReason(): string | null {
    if (this.ffmpeg) return null;
    return this.config.Transcoding.Enabled ? "ffmpeg not found" : "disabled by Transcoding.Enabled";
  }

  /** Jobs whose ffmpeg is running or waiting for a slot. */
  get inFlight(): number {
    return this.jobs.size;
  }

  private keyOf(r: TranscodeRequest): string {
    const profile = this.profiles[r.format];
    return createHash("sha256").update(JSON.stringify([r.file, r.size, r.mtimeMs, r.format, r.bitRate, r.offsetSeconds, profile.command])).digest("hex").slice(0, 40);
  }

  /**
   * The output for `r`: from the cache, joined to the same job in flight, or from a new
   * ffmpeg run. Resolves once the first bytes exist, so a failure that produced nothing
   * (unreadable file, bad template) is an error the caller can still report.
   */
  async open(r: TranscodeRequest): Promise<TranscodeOutput> {
    if (!this.ffmpeg) throw new AppError("UNAVAILABLE", "Transcoding is not available");
    const profile = this.profiles[r.format];
    const key = this.keyOf(r);
    // Outputs that start mid-track are one-off seeks: shared while in flight, never cached.
    const hit = r.offsetSeconds === 0 ? this.cache?.get(key) : null;
    if (hit) return { kind: "cached", ...hit, profile };
    let job = this.jobs.get(key);
    if (!job) job = this.startJob(key, r, profile);
    const { stream, leave } = job.subscribe();
    await job.firstBytes();
    if (job.bytes === 0 && job.end !== "done") {
      leave();
      log.warn({ file: r.file, format: r.format, end: job.end, stderr: job.stderr.trim().slice(0, 500) }, "transcoding failed");
      throw new AppError("UNAVAILABLE", `Transcoding to ${r.format} failed`);
    }
    return { kind: "live", stream, leave, profile };
  }

  private startJob(key: string, r: TranscodeRequest, profile: TranscodeProfile): TranscodeJob {
    const args = buildArgs(profile.command, { file: r.file, offsetSeconds: r.offsetSeconds, bitRate: r.bitRate });
    const job = new TranscodeJob(key, this.ffmpeg!, args);
    this.jobs.set(key, job);
    const slot = this.limiter.acquire();
    job.on("spawn", (pid: number) => {
      this.spawned++;
      log.debug({ pid, file: r.file, format: r.format, bitRate: r.bitRate, offset: r.offsetSeconds }, "ffmpeg started");
      this.events.emit("spawn", pid);
    });
    job.once("end", async (end) => {
      // Only complete outputs are kept; the job stays findable until the file is in place.
      if (end === "done" && this.cache && job.bytes > 0 && r.offsetSeconds === 0) {
        const part = this.cache.partFile(key);
        try {
          await writeFile(part, Buffer.concat(job.chunks));
          this.cache.commit(key, part, job.bytes);
        } catch (err) {
          this.cache.discard(part);
          log.warn({ err }, "could not write a transcoded file to the cache");
        }
      }
      this.jobs.delete(key);
      slot.cancel();
      this.events.emit("exit", { key, end });
    });
    job.start(slot.ready);
    return job;
  }
}

const holder = remember("transcoder", () => ({ instance: null as Transcoder | null }));

/** The server's transcoder, built from the configuration on first use. */
export function transcoder(): Transcoder {
  return (holder.instance ??= new Transcoder(settings()));
}
