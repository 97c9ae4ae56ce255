import { accessSync, constants } from "node:fs";
import path from "node:path";

/**
 * Finds the ffmpeg executable: an absolute or relative path is checked as is, a bare
 * name is looked up on PATH. Null when there is none that may be executed.
 */
export function locateFfmpeg(configured: string, envPath = process.env.PATH ?? ""): string | null {
  const executable = (p: string) => {
    try {
      accessSync(p, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
  if (configured.includes("/")) return executable(configured) ? path.resolve(configured) : null;
  for (const dir of envPath.split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, configured);
    if (executable(candidate)) return candidate;
  }
  return null;
}

/** The message operators see when ffmpeg is missing (log line and docs say the same). */
export function ffmpegMissingMessage(configured: string): string {
  return `ffmpeg not found (Transcoding.FFmpegPath = ${JSON.stringify(configured)}): transcoding is off and streams are sent as the original files. Install Debian's ffmpeg package (apt-get install ffmpeg) or set ND_TRANSCODING_FFMPEGPATH.`;
}

/**
 * A counting semaphore for ffmpeg processes: `acquire` resolves when a slot is free, in
 * arrival order. A waiter that gives up (its client left) withdraws with the returned cancel.
 */
export class ProcessLimiter {
  private running = 0;
  private readonly queue: (() => void)[] = [];

  constructor(private readonly max: number) {}

  /** Resolves with a release function once a slot is held; `cancel` withdraws a waiter. */
  acquire(): { ready: Promise<() => void>; cancel: () => void } {
    let grant!: () => void;
    const ready = new Promise<() => void>((resolve) => {
      grant = () => {
        this.running++;
        let released = false;
        resolve(() => {
          if (released) return;
          released = true;
          this.running--;
          this.queue.shift()?.();
        });
      };
    });
    if (this.running < this.max) grant();
    else this.queue.push(grant);
    return {
      ready,
      cancel: () => {
        const i = this.queue.indexOf(grant);
        if (i >= 0) this.queue.splice(i, 1);
      },
    };
  }

  get active(): number {
    return this.running;
  }

  get waiting(): number {
    return this.queue.length;
  }
}
