"use client";
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { clientIdFrom, DEFAULT_PREFS, heartbeatMsFrom, loadPrefs, savePrefs, type PlayerPrefs } from "@/lib/player/preferences";
import { append, EMPTY_QUEUE, insertNext, moveEntry, nextIndex, nextRepeatMode, previousIndex, removeEntry, replaceQueue, shuffleUpcoming, type QueueState } from "@/lib/player/queue";
import { DEFAULT_HEARTBEAT_MS, PlaybackReporter, scrobbleThresholdMs } from "@/lib/player/reporter";
import { songToTrack, streamParams, SubsonicClient, type StreamSettings, type SubsonicCredentials, type SubsonicSong } from "@/lib/player/subsonic-client";
import { isTranscodeRequest } from "@/lib/player/seek";
import { AudioEngine, type AudioSource } from "./audio-engine";
import type { InstantMixSeed, PlayerApi, PlayerTrack } from "./player-types";

/** The bar's view of the player: state that changes while playing, and every control. */
export interface PlayerControls {
  queue: QueueState;
  current: PlayerTrack | null;
  playing: boolean;
  position: number;
  duration: number;
  prefs: PlayerPrefs;
  /** The Subsonic client once the session is known (lyrics, cover art). */
  client: SubsonicClient | null;
  message: string | null;
  clearMessage(): void;
  toggle(): void;
  next(): void;
  previous(): void;
  seek(seconds: number): void;
  jumpTo(index: number): void;
  move(from: number, to: number): void;
  remove(index: number): void;
  clear(): void;
  setVolume(volume: number): void;
  toggleMute(): void;
  cycleRepeat(): void;
  toggleShuffle(): void;
  setStream(settings: StreamSettings): void;
}

const noop: PlayerApi = { playTracks() {}, addNext() {}, addToEnd() {}, async instantMix() {}, current: null };
const PlayerContext = createContext<PlayerApi>(noop);
const ControlsContext = createContext<PlayerControls | null>(null);

/** The browse pages' handle on the player. */
export function usePlayer(): PlayerApi {
  return useContext(PlayerContext);
}

/** The bar's handle on the player (state and controls). */
export function usePlayerControls(): PlayerControls {
  const c = useContext(ControlsContext);
  if (!c) throw new Error("usePlayerControls outside PlayerProvider");
  return c;
}

/** How often a playing track's position is saved with savePlayQueue (besides every queue change and pause). */
const POSITION_SAVE_MS = 15_000;
/** Seconds before the end at which the next track starts loading. */
const PRELOAD_BEFORE_END_S = 20;

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

function randomId(): string {
  return typeof crypto.randomUUID === "function" ? crypto.randomUUID() : Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * The web player: one audio engine for the whole signed-in app (mounted by app/(app)/layout.tsx, so it survives
 * navigation), the queue, playback reports, queue persistence (savePlayQueue/getPlayQueue), Media Session and
 * keyboard shortcuts.
 */
export default function PlayerProvider({ children }: { children: ReactNode }) {
  const [queue, setQueueState] = useState<QueueState>(EMPTY_QUEUE);
  const [playing, setPlaying] = useState(false);
  const [position, setPosition] = useState(0);
  const [duration, setDuration] = useState(0);
  const [prefs, setPrefsState] = useState<PlayerPrefs>(DEFAULT_PREFS);
  const [client, setClient] = useState<SubsonicClient | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  // Event handlers of the audio elements run outside React renders: they read the latest values from refs.
  const queueRef = useRef(queue);
  const prefsRef = useRef(prefs);
  const clientRef = useRef<SubsonicClient | null>(null);
  const engineRef = useRef<AudioEngine | null>(null);
  const reporterRef = useRef<PlaybackReporter | null>(null);
  const restoredRef = useRef(false);
  const lastSaveRef = useRef(0);

  const setQueue = useCallback((q: QueueState) => {
    queueRef.current = q;
    setQueueState(q);
  }, []);

  const setPrefs = useCallback((update: (p: PlayerPrefs) => PlayerPrefs) => {
    const next = update(prefsRef.current);
    prefsRef.current = next;
    setPrefsState(next);
    savePrefs(storage(), next);
    engineRef.current?.setVolume(next.volume, next.muted);
  }, []);

  const streamSource = useCallback((track: PlayerTrack): AudioSource => {
    const settings = prefsRef.current.stream;
    return { url: clientRef.current?.url("stream", streamParams(track.id, settings)) ?? "", transcoded: isTranscodeRequest(settings), duration: track.duration };
  }, []);

  const saveQueue = useCallback((opts: { keepalive?: boolean } = {}) => {
    const c = clientRef.current;
    if (!c || !restoredRef.current) return;
    const q = queueRef.current;
    lastSaveRef.current = Date.now();
    const current = q.tracks[q.index];
    const params = { id: q.tracks.map((t) => t.id), current: current?.id, position: Math.round((engineRef.current?.currentTime ?? 0) * 1000) };
    // Nothing to do if the server has no play queue yet; the player works without it.
    c.call("savePlayQueue", params, opts.keepalive ? { keepalive: true } : {}).catch(() => undefined);
  }, []);

  /** Makes `index` of `q` current and loads it; an open playback session is closed first. */
  const loadIndex = useCallback(
    (q: QueueState, index: number, opts: { autoplay: boolean; startAt?: number }) => {
      const engine = engineRef.current;
      const track = q.tracks[index];
      if (!engine || !track) return;
      reporterRef.current?.stopped(engine.currentTime);
      setQueue({ tracks: q.tracks, index });
      setPosition(opts.startAt ?? 0);
      setDuration(track.duration);
      engine.load(streamSource(track), opts);
    },
    [setQueue, streamSource],
  );

  // The audio engine and the reporter live as long as the layout.
  useEffect(() => {
    const engine = new AudioEngine({
      time(current, d) {
        setPosition(current);
        // Track seconds from the engine (offset + element time after a transcode reload); 0 = not known yet.
        if (d > 0) setDuration(d);
        const q = queueRef.current;
        const upcoming = q.tracks[nextIndex(q, prefsRef.current.repeat, true)];
        if (upcoming && upcoming !== q.tracks[q.index] && d > 0 && d - current < PRELOAD_BEFORE_END_S) engine.preload(streamSource(upcoming));
        if (!engine.paused && Date.now() - lastSaveRef.current > POSITION_SAVE_MS) saveQueue();
      },
      playing() {
        setPlaying(true);
        const track = queueRef.current.tracks[queueRef.current.index];
        if (track) reporterRef.current?.played(track.id, engine.currentTime);
      },
      paused(ended) {
        setPlaying(false);
        if (ended) return;
        reporterRef.current?.paused(engine.currentTime);
        saveQueue();
      },
      ended() {
        const q = queueRef.current;
        const at = nextIndex(q, prefsRef.current.repeat, true);
        if (at >= 0) return loadIndex(q, at, { autoplay: true });
        reporterRef.current?.stopped(engine.duration);
        saveQueue();
      },
      error(text) {
        setMessage(`Playback error: ${text}`);
      },
    });
    engineRef.current = engine;
    engine.setVolume(prefsRef.current.volume, prefsRef.current.muted);
    return () => {
      reporterRef.current?.dispose();
      engine.destroy();
      engineRef.current = null;
    };
  }, [loadIndex, saveQueue, streamSource]);

  // Session, preferences, then the saved queue (restored paused at its position).
  useEffect(() => {
    const store = storage();
    const loaded = loadPrefs(store);
    prefsRef.current = loaded;
    setPrefsState(loaded);
    engineRef.current?.setVolume(loaded.volume, loaded.muted);
    let cancelled = false;
    (async () => {
      const res = await fetch("/api/player/session", { cache: "no-store" });
      if (!res.ok || cancelled) return;
      const c = new SubsonicClient((await res.json()) as SubsonicCredentials, clientIdFrom(store, randomId));
      clientRef.current = c;
      setClient(c);
      reporterRef.current = new PlaybackReporter({
        send: (r) => c.call("reportPlayback", { mediaId: r.mediaId, mediaType: "song", positionMs: r.positionMs, state: r.state }),
        position: () => engineRef.current?.currentTime ?? 0,
        heartbeatMs: heartbeatMsFrom(store, DEFAULT_HEARTBEAT_MS),
      });
      try {
        const saved = await c.call<{ playQueue?: { entry?: SubsonicSong[]; current?: string; position?: number } }>("getPlayQueue");
        const entries = (saved.playQueue?.entry ?? []).map(songToTrack);
        if (!cancelled && entries.length && queueRef.current.index < 0) {
          const at = Math.max(0, entries.findIndex((t) => t.id === saved.playQueue?.current));
          loadIndex({ tracks: entries, index: at }, at, { autoplay: false, startAt: (saved.playQueue?.position ?? 0) / 1000 });
        }
      } catch {
        // No saved queue (or no play queue support on the server): start empty.
      }
      restoredRef.current = true;
    })().catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [loadIndex]);

  // Save the queue shortly after it changes (a burst of edits is one save).
  useEffect(() => {
    if (!restoredRef.current) return;
    const t = setTimeout(() => saveQueue(), 800);
    return () => clearTimeout(t);
  }, [queue, saveQueue]);

  // Leaving the page: save the position; a track playing past the scrobble threshold is reported stopped so it counts.
  useEffect(() => {
    const onHide = () => {
      saveQueue({ keepalive: true });
      const engine = engineRef.current;
      const c = clientRef.current;
      const mediaId = reporterRef.current?.current;
      if (engine && c && mediaId && !engine.paused && engine.currentTime * 1000 >= scrobbleThresholdMs(engine.duration * 1000)) {
        c.call("reportPlayback", { mediaId, mediaType: "song", positionMs: Math.round(engine.currentTime * 1000), state: "stopped" }, { keepalive: true }).catch(() => undefined);
      }
      reporterRef.current?.dispose();
    };
    window.addEventListener("pagehide", onHide);
    return () => window.removeEventListener("pagehide", onHide);
  }, [saveQueue]);

  const toggle = useCallback(() => {
    const engine = engineRef.current;
    if (!engine || queueRef.current.index < 0) return;
    if (engine.paused) engine.play();
    else engine.pause();
  }, []);

  const next = useCallback(() => {
    const q = queueRef.current;
    const at = nextIndex(q, prefsRef.current.repeat, false);
    if (at >= 0) loadIndex(q, at, { autoplay: true });
  }, [loadIndex]);

  const previous = useCallback(() => {
    const q = queueRef.current;
    const engine = engineRef.current;
    if (!engine) return;
    const at = previousIndex(q, prefsRef.current.repeat, engine.currentTime);
    if (at === q.index) engine.seek(0);
    else if (at >= 0) loadIndex(q, at, { autoplay: !engine.paused });
  }, [loadIndex]);

  const seek = useCallback((seconds: number) => {
    engineRef.current?.seek(seconds);
    setPosition(engineRef.current?.currentTime ?? seconds);
  }, []);

  const startWith = useCallback(
    (q: QueueState, wasEmpty: boolean) => {
      if (wasEmpty && q.index >= 0) loadIndex(q, q.index, { autoplay: true });
      else setQueue(q);
    },
    [loadIndex, setQueue],
  );

  const api = useMemo<Omit<PlayerApi, "current">>(
    () => ({
      playTracks(tracks, startIndex = 0, options) {
        const q = replaceQueue(tracks, startIndex, options?.shuffle ?? prefsRef.current.shuffle);
        if (q.index >= 0) loadIndex(q, q.index, { autoplay: true });
      },
      addNext(tracks) {
        startWith(insertNext(queueRef.current, tracks), queueRef.current.index < 0);
      },
      addToEnd(tracks) {
        startWith(append(queueRef.current, tracks), queueRef.current.index < 0);
      },
      async instantMix(seed: InstantMixSeed) {
        const c = clientRef.current;
        if (!c) return setMessage("The player is not ready yet: try again in a moment.");
        try {
          const method = seed.kind === "artist" ? "getSimilarSongs2" : "getSimilarSongs";
          const r = await c.call<{ similarSongs?: { song?: SubsonicSong[] }; similarSongs2?: { song?: SubsonicSong[] } }>(method, { id: seed.id, count: 100 });
          const songs = (r.similarSongs2 ?? r.similarSongs)?.song ?? [];
          if (!songs.length) return setMessage(`Instant Mix found no similar songs for this ${seed.kind}: no metadata agent plugin named songs in your library.`);
          const q = replaceQueue(songs.map(songToTrack), 0);
          loadIndex(q, 0, { autoplay: true });
          setMessage(`Instant Mix: ${songs.length} similar song${songs.length === 1 ? "" : "s"}`);
        } catch (err) {
          setMessage(`Instant Mix failed: ${(err as Error).message}`);
        }
      },
    }),
    [loadIndex, startWith],
  );

  const current = queue.tracks[queue.index] ?? null;
  const playerApi = useMemo<PlayerApi>(() => ({ ...api, current }), [api, current]);

  const controls = useMemo<PlayerControls>(
    () => ({
      queue,
      current,
      playing,
      position,
      duration,
      prefs,
      client,
      message,
      clearMessage: () => setMessage(null),
      toggle,
      next,
      previous,
      seek,
      jumpTo: (index) => loadIndex(queueRef.current, index, { autoplay: true }),
      move: (from, to) => setQueue(moveEntry(queueRef.current, from, to)),
      remove(index) {
        const q = queueRef.current;
        const after = removeEntry(q, index);
        if (index !== q.index) return setQueue(after);
        const engine = engineRef.current;
        if (after.index < 0) {
          reporterRef.current?.stopped(engine?.currentTime ?? 0);
          engine?.stop();
          return setQueue(after);
        }
        loadIndex(after, after.index, { autoplay: !(engine?.paused ?? true) });
      },
      clear() {
        const engine = engineRef.current;
        reporterRef.current?.stopped(engine?.currentTime ?? 0);
        engine?.stop();
        setPlaying(false);
        setPosition(0);
        setQueue(EMPTY_QUEUE);
      },
      setVolume: (volume) => setPrefs((p) => ({ ...p, volume: Math.min(1, Math.max(0, volume)), muted: false })),
      toggleMute: () => setPrefs((p) => ({ ...p, muted: !p.muted })),
      cycleRepeat: () => setPrefs((p) => ({ ...p, repeat: nextRepeatMode(p.repeat) })),
      toggleShuffle() {
        const on = !prefsRef.current.shuffle;
        setPrefs((p) => ({ ...p, shuffle: on }));
        if (on) setQueue(shuffleUpcoming(queueRef.current));
      },
      setStream(settings) {
        setPrefs((p) => ({ ...p, stream: settings }));
        // Reload the current track with the new stream, where it was.
        const q = queueRef.current;
        const engine = engineRef.current;
        if (engine && q.index >= 0) loadIndex(q, q.index, { autoplay: !engine.paused, startAt: engine.currentTime });
      },
    }),
    [queue, current, playing, position, duration, prefs, client, message, toggle, next, previous, seek, loadIndex, setQueue, setPrefs],
  );

  useMediaSession(controls);
  useKeyboardShortcuts(controls);

  return (
    <PlayerContext.Provider value={playerApi}>
      <ControlsContext.Provider value={controls}>{children}</ControlsContext.Provider>
    </PlayerContext.Provider>
  );
}

/** Lock-screen / OS media keys: metadata with artwork and the transport actions. */
function useMediaSession(c: PlayerControls) {
  const ref = useRef(c);
  ref.current = c;
  const { current, client, playing, position, duration } = c;
  useEffect(() => {
    if (!("mediaSession" in navigator)) return;
    const ms = navigator.mediaSession;
    ms.metadata = current
      ? new MediaMetadata({
          title: current.title,
          artist: current.artist,
          album: current.album,
          artwork: current.coverArt && client ? [96, 256, 512].map((s) => ({ src: client.coverArtUrl(current.coverArt!, s), sizes: `${s}x${s}` })) : [],
        })
      : null;
  }, [current, client]);
  useEffect(() => {
    if (!("mediaSession" in navigator)) return;
    navigator.mediaSession.playbackState = current ? (playing ? "playing" : "paused") : "none";
  }, [current, playing]);
  // Track seconds (offset + element time for a reloaded transcode), so the OS scrubber matches the bar.
  useEffect(() => {
    if (!("mediaSession" in navigator) || typeof navigator.mediaSession.setPositionState !== "function") return;
    try {
      if (current && duration > 0) navigator.mediaSession.setPositionState({ duration, position: Math.min(Math.max(0, position), duration), playbackRate: 1 });
      else navigator.mediaSession.setPositionState();
    } catch {
      // A position the browser refuses (a duration not known yet): the next update sets it.
    }
  }, [current, position, duration]);
  useEffect(() => {
    if (!("mediaSession" in navigator)) return;
    const ms = navigator.mediaSession;
    const handlers: [MediaSessionAction, MediaSessionActionHandler][] = [
      ["play", () => ref.current.toggle()],
      ["pause", () => ref.current.toggle()],
      ["previoustrack", () => ref.current.previous()],
      ["nexttrack", () => ref.current.next()],
      ["seekbackward", (d) => ref.current.seek(ref.current.position - (d.seekOffset ?? 10))],
      ["seekforward", (d) => ref.current.seek(ref.current.position + (d.seekOffset ?? 10))],
      ["seekto", (d) => d.seekTime !== undefined && ref.current.seek(d.seekTime)],
      ["stop", () => ref.current.playing && ref.current.toggle()],
    ];
    for (const [action, handler] of handlers) {
      try {
        ms.setActionHandler(action, handler);
      } catch {
        // An action this browser does not know.
      }
    }
    return () => {
      for (const [action] of handlers) {
        try {
          ms.setActionHandler(action, null);
        } catch {
          // as above
        }
      }
    };
  }, []);
}

/** Elements whose own keys win over the player's shortcuts. */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  return ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName) || target.getAttribute("role") === "slider";
}

/** Space play/pause, ←/→ seek 10 s, Shift+←/→ previous/next; not while typing or on a focused control's own key. */
function useKeyboardShortcuts(c: PlayerControls) {
  const ref = useRef(c);
  ref.current = c;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || isTyping(e.target)) return;
      const p = ref.current;
      if (!p.current) return;
      if (e.key === " " || e.code === "Space") {
        // Space on a button or link presses it: let it.
        if (e.target instanceof HTMLElement && e.target.closest("button, a, [role=button], [role=menuitem], [role=option]")) return;
        e.preventDefault();
        p.toggle();
      } else if (e.key === "ArrowLeft" || e.key === "ArrowRight") {
        const forward = e.key === "ArrowRight";
        e.preventDefault();
        if (e.shiftKey) (forward ? p.next : p.previous)();
        else p.seek(p.position + (forward ? 10 : -10));
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);
}
