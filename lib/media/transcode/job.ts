import { spawn, type ChildProcess } from "node:child_process";
import { EventEmitter } from "node:events";

/** How a job ended: "done" (ffmpeg exit 0), "failed" (error exit), "killed" (every listener left). */
export type JobEnd = "done" | "failed" | "killed";

/**
 * One ffmpeg run whose output any number of listeners share (single flight). Output is
 * kept in memory for the job's life, so a listener that joins late replays it from the
 * start; ffmpeg is never slowed by a slow listener. When the last listener leaves before
 * ffmpeg finishes, ffmpeg is killed.
 */
export class TranscodeJob extends EventEmitter {
  readonly chunks: Buffer[] = [];
  bytes = 0;
  end: JobEnd | null = null;
  stderr = "";
  private subscribers = 0;
  private child: ChildProcess | null = null;
  private leftBeforeStart = false;
  /** Resolved (and replaced) on every new chunk and at the end: what waiting readers await. */
  private changed = deferred();

  constructor(
    readonly key: string,
    readonly ffmpeg: string,
    readonly args: string[],
  ) {
    super();
  }

  /** Starts ffmpeg once `slot` resolves; the slot is released when the job ends. */
  start(slot: Promise<() => void>): void {
    void slot.then((release) => {
      this.once("end", release);
      if (this.leftBeforeStart) return this.finish("killed");
      const child = spawn(this.ffmpeg, this.args, { stdio: ["ignore", "pipe", "pipe"] });
      this.child = child;
      this.emit("spawn", child.pid);
      child.stdout!.on("data", (chunk: Buffer) => {
        this.chunks.push(chunk);
        this.bytes += chunk.length;
        this.notify();
      });
      child.stderr!.on("data", (chunk: Buffer) => {
        if (this.stderr.length < 4000) this.stderr += chunk.toString();
      });
      child.on("error", (err) => {
        this.stderr += String(err);
        this.finish("failed");
      });
      // "close": stdout is drained too, so every chunk is in before listeners see the end.
      child.on("close", (code, signal) => this.finish(signal === "SIGKILL" && this.subscribers === 0 ? "killed" : code === 0 ? "done" : "failed"));
    });
  }

  private finish(end: JobEnd) {
    if (this.end) return;
    this.end = end;
    this.notify();
    this.emit("end", end);
  }

  private notify() {
    this.changed.resolve();
    this.changed = deferred();
  }

  /** A listener joins; the stream replays what was produced and follows until the end. */
  subscribe(): { stream: ReadableStream<Uint8Array>; leave: () => void } {
    this.subscribers++;
    // Someone is back before ffmpeg got its slot: the queued start must run after all.
    this.leftBeforeStart = false;
    let index = 0;
    let left = false;
    const leave = () => {
      if (left) return;
      left = true;
      if (--this.subscribers > 0 || this.end) return;
      if (this.child) this.child.kill("SIGKILL");
      else this.leftBeforeStart = true;
    };
    const stream = new ReadableStream<Uint8Array>({
      pull: async (controller) => {
        while (index >= this.chunks.length && !this.end) await this.changed.promise;
        if (index < this.chunks.length) controller.enqueue(new Uint8Array(this.chunks[index++]));
        else {
          leave();
          if (this.end === "done") controller.close();
          else controller.error(new Error(`ffmpeg ${this.end}: ${this.stderr.trim().slice(0, 300)}`));
        }
      },
      cancel: () => leave(),
    });
    return { stream, leave };
  }

  /** Resolves when the first output bytes exist or the job ended, whichever is first. */
  async firstBytes(): Promise<void> {
    while (this.bytes === 0 && !this.end) await this.changed.promise;
  }
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}
