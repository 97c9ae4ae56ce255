"use client";
import { offsetUrl, planSeek, playerDuration, playerPosition, type TimeRange } from "@/lib/player/seek";

/** What the engine tells the player; only the active element's events are passed on. Times are track seconds. */
export interface AudioEvents {
  time(current: number, duration: number): void;
  playing(): void;
  /** `ended`: the pause that comes with the end of the track (the report is `stopped`, not `paused`). */
  paused(ended: boolean): void;
  ended(): void;
  error(message: string): void;
}

/** How long a transcode reload waits for a later seek to replace it. */
const RELOAD_DEBOUNCE_MS = 250;

/** A source to play: its stream URL (without `timeOffset`), whether it is a transcode, the track's known duration. */
export interface AudioSource {
  url: string;
  transcoded: boolean;
  duration: number;
}

/** What an element holds: the source and the track second its time 0 stands for (a `timeOffset` reload). */
interface Loaded extends AudioSource {
  offset: number;
}

function rangesOf(r: TimeRanges): TimeRange[] {
  const out: TimeRange[] = [];
  for (let i = 0; i < r.length; i++) out.push([r.start(i), r.end(i)]);
  return out;
}

/**
 * Two `<audio>` elements: the active one plays, the spare one loads the next track shortly before the end, so the
 * switch at the end of a track starts from buffered data (gapless-ish: the browser still decodes each file on
 * its own). Imperative on purpose: React state would add a render between `ended` and `play()`.
 *
 * A live transcode cannot be byte-seeked: a seek past what the element holds reloads it with `timeOffset`, and the
 * engine reports `offset + currentTime` (lib/player/seek.ts), so callers only ever see track seconds.
 */
export class AudioEngine {
  private readonly els: [HTMLAudioElement, HTMLAudioElement];
  private active = 0;
  private preloaded: string | null = null;
  private sources: [Loaded | null, Loaded | null] = [null, null];
  private pendingStart: number | null = null;
  /** A reload of a playing transcode pauses the element on the way: not a pause of the listener's. */
  private reloading = false;
  /** Track second a transcode reload is about to start at (shown meanwhile), and its timer. */
  private pendingReload: number | null = null;
  private reloadTimer: ReturnType<typeof setTimeout> | null = null;

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
    const tell = () => this.events.time(this.currentTime, this.duration);
    el.addEventListener("timeupdate", () => mine() && tell());
    el.addEventListener("durationchange", () => mine() && tell());
    el.addEventListener("loadedmetadata", () => {
      if (!mine()) return;
      if (this.pendingStart !== null) {
        el.currentTime = Math.min(this.pendingStart, Number.isFinite(el.duration) ? el.duration : this.pendingStart);
        this.pendingStart = null;
      }
      tell();
    });
    el.addEventListener("playing", () => {
      if (!mine()) return;
      this.reloading = false;
      this.events.playing();
    });
    el.addEventListener("pause", () => mine() && !this.reloading && this.events.paused(el.ended));
    el.addEventListener("ended", () => mine() && this.events.ended());
    el.addEventListener("error", () => {
      if (mine()) this.reloading = false;
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

  private get source(): Loaded | null {
    return this.sources[this.active];
  }

  /** Track seconds: the reload offset plus the element's time (the target while a reload waits). */
  get currentTime(): number {
    if (this.pendingReload !== null) return this.pendingReload;
    return playerPosition(this.source?.offset ?? 0, this.el.currentTime || 0);
  }

  /** Track seconds: a transcode's from the track, an original's from the element. */
  get duration(): number {
    const s = this.source;
    return playerDuration({ transcoded: s?.transcoded ?? false, trackDuration: s?.duration ?? 0, offset: s?.offset ?? 0, elementDuration: this.el.duration });
  }

  get paused(): boolean {
    return this.el.paused;
  }

  /** Plays `source` (from the spare element when it was preloaded), optionally from `startAt` seconds. */
  load(source: AudioSource, opts: { autoplay: boolean; startAt?: number }): void {
    const previous = this.el;
    const url = source.url;
    this.cancelReload();
    if (this.source?.url === url) {
      // The same track again (repeat one, a restart, a restored queue).
      this.seek(opts.startAt ?? 0);
    } else if (this.preloaded === url) {
      this.active = 1 - this.active;
      previous.pause();
      this.mark();
      if (opts.startAt) this.seek(opts.startAt);
    } else {
      previous.pause();
      this.reloading = false;
      // A transcode starts where asked on the server (timeOffset); an original seeks once its metadata is known.
      const offset = source.transcoded && opts.startAt ? Math.max(0, opts.startAt) : 0;
      this.pendingStart = source.transcoded ? null : (opts.startAt ?? null);
      this.sources[this.active] = { ...source, offset };
      this.el.src = offsetUrl(url, offset);
    }
    this.preloaded = null;
    if (opts.autoplay) this.play();
  }

  /** Starts loading `source` in the spare element from its start (no-op when it already holds it). */
  preload(source: AudioSource): void {
    const url = source.url;
    if (this.preloaded === url || this.source?.url === url) return;
    const spare = this.els[1 - this.active];
    spare.src = url;
    spare.load();
    this.sources[1 - this.active] = { ...source, offset: 0 };
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
    this.reloading = false;
    this.el.pause();
  }

  /** Seeks to track second `seconds`: natively, or by reloading a transcode at that offset. */
  seek(seconds: number): void {
    const el = this.el;
    const s = this.source;
    this.cancelReload();
    const plan = planSeek({ target: seconds, offset: s?.offset ?? 0, duration: this.duration, transcoded: s?.transcoded ?? false, buffered: rangesOf(el.buffered), seekable: rangesOf(el.seekable) });
    if (plan.kind === "native" || !s) {
      const t = plan.kind === "native" ? plan.elementTime : seconds;
      const d = el.duration;
      el.currentTime = Math.max(0, Number.isFinite(d) ? Math.min(t, Math.max(0, d - 0.05)) : t);
      return;
    }
    // A dragged slider or a held arrow key seeks many times a second: only the last target starts an ffmpeg run.
    this.pendingReload = plan.offset;
    this.reloadTimer = setTimeout(() => this.reload(s, plan.offset), RELOAD_DEBOUNCE_MS);
    this.events.time(this.currentTime, this.duration);
  }

  private cancelReload(): void {
    if (this.reloadTimer !== null) clearTimeout(this.reloadTimer);
    this.reloadTimer = null;
    this.pendingReload = null;
  }

  /** Re-requests the transcode from track second `offset`; the element's time 0 is then that second. */
  private reload(s: Loaded, offset: number): void {
    this.reloadTimer = null;
    this.pendingReload = null;
    if (this.source !== s) return;
    const el = this.el;
    const wasPlaying = !el.paused;
    this.reloading = wasPlaying;
    s.offset = offset;
    this.pendingStart = null;
    el.src = offsetUrl(s.url, offset);
    this.events.time(this.currentTime, this.duration);
    if (wasPlaying) this.play();
  }

  setVolume(volume: number, muted: boolean): void {
    for (const el of this.els) {
      el.volume = volume;
      el.muted = muted;
    }
  }

  /** Stops and forgets the current source (cleared queue). */
  stop(): void {
    this.cancelReload();
    for (const el of this.els) {
      el.pause();
      el.removeAttribute("src");
      el.load();
    }
    this.sources = [null, null];
    this.preloaded = null;
    this.reloading = false;
  }

  destroy(): void {
    this.stop();
    for (const el of this.els) el.remove();
  }
}
