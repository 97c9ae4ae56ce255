"use client";

/** What the engine tells the player; only the active element's events are passed on. */
export interface AudioEvents {
  time(current: number, duration: number): void;
  playing(): void;
  /** `ended`: the pause that comes with the end of the track (the report is `stopped`, not `paused`). */
  paused(ended: boolean): void;
  ended(): void;
  error(message: string): void;
}

/**
 * Two `<audio>` elements: the active one plays, the spare one loads the next track shortly before the end, so the
 * switch at the end of a track starts from buffered data (gapless-ish: the browser still decodes each file on
 * its own). Imperative on purpose: React state would add a render between `ended` and `play()`.
 */
export class AudioEngine {
  private readonly els: [HTMLAudioElement, HTMLAudioElement];
  private active = 0;
  private preloaded: string | null = null;
  private urls: [string | null, string | null] = [null, null];
  private pendingStart: number | null = null;

  constructor(private readonly events: AudioEvents) {
    this.els = [this.create(0), this.create(1)];
    this.mark();
  }

  private create(slot: number): HTMLAudioElement {
    const el = document.createElement("audio");
    el.preload = "auto";
    el.dataset.playerAudio = String(slot);
    el.style.display = "none";
    document.body.appendChild(el);
    const mine = () => this.els?.[this.active] === el;
    el.addEventListener("timeupdate", () => mine() && this.events.time(el.currentTime, el.duration));
    el.addEventListener("durationchange", () => mine() && this.events.time(el.currentTime, el.duration));
    el.addEventListener("loadedmetadata", () => {
      if (!mine()) return;
      if (this.pendingStart !== null) {
        el.currentTime = Math.min(this.pendingStart, Number.isFinite(el.duration) ? el.duration : this.pendingStart);
        this.pendingStart = null;
      }
      this.events.time(el.currentTime, el.duration);
    });
    el.addEventListener("playing", () => mine() && this.events.playing());
    el.addEventListener("pause", () => mine() && this.events.paused(el.ended));
    el.addEventListener("ended", () => mine() && this.events.ended());
    el.addEventListener("error", () => {
      if (mine() && el.getAttribute("src")) this.events.error(el.error?.message || "this track cannot be played");
    });
    return el;
  }

  private get el(): HTMLAudioElement {
    return this.els[this.active];
  }

  /** Which element plays (the e2e spec reads `audio[data-active="true"]`). */
  private mark(): void {
    this.els.forEach((el, i) => (el.dataset.active = String(i === this.active)));
  }

  get currentTime(): number {
    return this.el.currentTime || 0;
  }

  get duration(): number {
    return Number.isFinite(this.el.duration) ? this.el.duration : 0;
  }

  get paused(): boolean {
    return this.el.paused;
  }

  /** Plays `url` (from the spare element when it was preloaded), optionally from `startAt` seconds. */
  load(url: string, opts: { autoplay: boolean; startAt?: number }): void {
    const previous = this.el;
    if (this.urls[this.active] === url) {
      // The same track again (repeat one, a restart, a restored queue).
      this.seek(opts.startAt ?? 0);
    } else if (this.preloaded === url) {
      this.active = 1 - this.active;
      previous.pause();
      this.mark();
      if (opts.startAt) this.seek(opts.startAt);
    } else {
      previous.pause();
      this.pendingStart = opts.startAt ?? null;
      this.el.src = url;
      this.urls[this.active] = url;
    }
    this.preloaded = null;
    if (opts.autoplay) this.play();
  }

  /** Starts loading `url` in the spare element (no-op when it already holds it). */
  preload(url: string): void {
    if (this.preloaded === url || this.urls[this.active] === url) return;
    const spare = this.els[1 - this.active];
    spare.src = url;
    spare.load();
    this.urls[1 - this.active] = url;
    this.preloaded = url;
  }

  play(): void {
    this.el.play().catch((err: Error) => {
      // Loading a new source aborts a pending play(): not an error for the listener.
      if (err.name === "AbortError") return;
      this.events.error(err.name === "NotAllowedError" ? "the browser blocked playback: press play" : err.message);
      this.events.paused(false);
    });
  }

  pause(): void {
    this.el.pause();
  }

  seek(seconds: number): void {
    const d = this.el.duration;
    this.el.currentTime = Math.max(0, Number.isFinite(d) ? Math.min(seconds, Math.max(0, d - 0.05)) : seconds);
  }

  setVolume(volume: number, muted: boolean): void {
    for (const el of this.els) {
      el.volume = volume;
      el.muted = muted;
    }
  }

  /** Stops and forgets the current source (cleared queue). */
  stop(): void {
    for (const el of this.els) {
      el.pause();
      el.removeAttribute("src");
      el.load();
    }
    this.urls = [null, null];
    this.preloaded = null;
  }

  destroy(): void {
    this.stop();
    for (const el of this.els) el.remove();
  }
}
