import "server-only";
import { log } from "../../log";
import { decode, goField, omitEmpty } from "../go-json";
import { hostFunction } from "./config";
import { parseCronSchedule, type CronSchedule } from "./cron";
import { goQuote } from "../../go-quote";
import { checkNoOutput, PluginNotLoadedError } from "./plugin-caller";
import { newRandomId } from "./random-id";
import type { HostService, HostServiceContext } from "./registry";

/** The callback export (contract §3.7). */
export const SCHEDULER_CALLBACK = "nd_scheduler_callback";

/** `nd_scheduler_callback` request; all fields are always sent. */
export interface SchedulerCallbackRequest {
  scheduleId: string;
  payload: string;
  isRecurring: boolean;
}

/** One active schedule as the admin page shows it. Times are ISO strings; null when unknown. */
export interface ScheduleStatus {
  id: string;
  kind: "one-time" | "recurring";
  /** The cron expression (recurring) or `after <n>s` (one-time). */
  spec: string;
  payload: string;
  nextRunAt: string | null;
  lastRunAt: string | null;
  /** The most recent callback failure (kept after later successes; see lastErrorAt). */
  lastError: string | null;
  lastErrorAt: string | null;
  runs: number;
  /** Callbacks of this schedule currently running (recurring ones may overlap). */
  running: number;
}

interface Entry {
  id: string;
  kind: "one-time" | "recurring";
  spec: string;
  payload: string;
  schedule: CronSchedule | null;
  timer: NodeJS.Timeout | null;
  nextRunAt: number | null;
  lastRunAt: number | null;
  lastError: string | null;
  lastErrorAt: number | null;
  runs: number;
  running: number;
}

/** setTimeout's limit; longer waits (e.g. `@yearly`) re-arm in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Scheduler host service (contract §4.3). Schedules live in memory, per plugin, and are
 * all cancelled when the plugin is unloaded; nothing is restored on restart. Callbacks
 * run `nd_scheduler_callback` in a fresh instance with the plugin's call timeout; their
 * errors are logged (and kept as the schedule's `lastError`). Recurring executions may
 * overlap, as on robfig/cron.
 */
export function createSchedulerService(ctx: HostServiceContext): HostService {
  const entries = new Map<string, Entry>();
  const pluginLog = log.child({ plugin: ctx.pluginId });
  let closed = false;

  const takeId = (requested: string): string => {
    const id = requested === "" ? newRandomId() : requested;
    if (entries.has(id)) throw new Error(`schedule ID ${goQuote(id)} already exists`);
    return id;
  };

  const runCallback = async (entry: Entry): Promise<void> => {
    const request: SchedulerCallbackRequest = { scheduleId: entry.id, payload: entry.payload, isRecurring: entry.kind === "recurring" };
    entry.running += 1;
    entry.runs += 1;
    entry.lastRunAt = Date.now();
    try {
      checkNoOutput(await ctx.callPlugin(SCHEDULER_CALLBACK, request));
    } catch (err) {
      const message = (err as Error).message;
      entry.lastError = message;
      entry.lastErrorAt = Date.now();
      if (err instanceof PluginNotLoadedError) pluginLog.warn({ scheduleId: entry.id }, "Plugin not loaded for scheduler callback");
      else {
        pluginLog.error({ scheduleId: entry.id, err: message }, "Error executing schedule callback");
        ctx.activity.log("error", `schedule ${entry.id}: ${message}`);
      }
    } finally {
      entry.running -= 1;
    }
  };

  const arm = (entry: Entry, at: number): void => {
    entry.nextRunAt = at;
    entry.timer = setTimeout(() => wake(entry), Math.min(MAX_TIMER_MS, Math.max(0, at - Date.now())));
    entry.timer.unref?.();
  };

  const wake = (entry: Entry): void => {
    entry.timer = null;
    if (closed || entries.get(entry.id) !== entry || entry.nextRunAt === null) return;
    const now = Date.now();
    // Timers may fire a little early, and long waits are split: not due yet ⇒ wait again.
    if (now < entry.nextRunAt) return arm(entry, entry.nextRunAt);
    if (entry.kind === "one-time") {
      entry.nextRunAt = null;
      // The ID stays taken until the callback returns (contract §4.3).
      void runCallback(entry).finally(() => {
        if (entries.get(entry.id) === entry) entries.delete(entry.id);
      });
      return;
    }
    void runCallback(entry);
    const next = entry.schedule!.next(now);
    if (next === null) entry.nextRunAt = null;
    else arm(entry, next);
  };

  const add = (entry: Entry, firstRunAt: number | null): { newScheduleId: string } => {
    entries.set(entry.id, entry);
    if (firstRunAt !== null) arm(entry, firstRunAt);
    return { newScheduleId: entry.id };
  };

  const newEntry = (id: string, kind: Entry["kind"], spec: string, payload: string, schedule: CronSchedule | null): Entry => ({
    id,
    kind,
    spec,
    payload,
    schedule,
    timer: null,
    nextRunAt: null,
    lastRunAt: null,
    lastError: null,
    lastErrorAt: null,
    runs: 0,
    running: 0,
  });

  return {
    functions: {
      scheduler_scheduleonetime: hostFunction((req) => {
        const delaySeconds = decode.int(goField(req, "delaySeconds"), "SchedulerScheduleOneTimeRequest.delaySeconds", "/delaySeconds", "int32") ?? 0;
        const payload = decode.string(goField(req, "payload"), "SchedulerScheduleOneTimeRequest.payload", "/payload") ?? "";
        const id = takeId(decode.string(goField(req, "scheduleId"), "SchedulerScheduleOneTimeRequest.scheduleId", "/scheduleId") ?? "");
        const entry = newEntry(id, "one-time", `after ${delaySeconds}s`, payload, null);
        return omitEmpty(add(entry, Date.now() + Math.max(0, delaySeconds) * 1000));
      }),
      scheduler_schedulerecurring: hostFunction((req) => {
        const cronExpression = decode.string(goField(req, "cronExpression"), "SchedulerScheduleRecurringRequest.cronExpression", "/cronExpression") ?? "";
        const payload = decode.string(goField(req, "payload"), "SchedulerScheduleRecurringRequest.payload", "/payload") ?? "";
        const id = takeId(decode.string(goField(req, "scheduleId"), "SchedulerScheduleRecurringRequest.scheduleId", "/scheduleId") ?? "");
        let schedule: CronSchedule;
        try {
          schedule = parseCronSchedule(cronExpression);
        } catch (err) {
          throw new Error(`failed to schedule task: ${(err as Error).message}`);
        }
        return omitEmpty(add(newEntry(id, "recurring", cronExpression, payload, schedule), schedule.next(Date.now())));
      }),
      scheduler_cancelschedule: hostFunction((req) => {
        const id = decode.string(goField(req, "scheduleId"), "SchedulerCancelScheduleRequest.scheduleId", "/scheduleId") ?? "";
        const entry = entries.get(id);
        if (!entry) throw new Error(`schedule ID ${goQuote(id)} not found`);
        if (entry.timer) clearTimeout(entry.timer);
        entries.delete(id);
        return {};
      }),
    },
    async close() {
      closed = true;
      for (const entry of entries.values()) if (entry.timer) clearTimeout(entry.timer);
      entries.clear();
    },
    status: (): ScheduleStatus[] =>
      [...entries.values()].map((e) => ({
        id: e.id,
        kind: e.kind,
        spec: e.spec,
        payload: e.payload.length > 200 ? `${e.payload.slice(0, 200)}…` : e.payload,
        nextRunAt: e.nextRunAt === null ? null : new Date(e.nextRunAt).toISOString(),
        lastRunAt: e.lastRunAt === null ? null : new Date(e.lastRunAt).toISOString(),
        lastError: e.lastError,
        lastErrorAt: e.lastErrorAt === null ? null : new Date(e.lastErrorAt).toISOString(),
        runs: e.runs,
        running: e.running,
      })),
  };
}
