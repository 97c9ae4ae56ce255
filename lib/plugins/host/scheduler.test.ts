import { beforeAll, describe, expect, it } from "vitest";
import { bootWithPlugins, callHost as callHostVia, pluginLines, waitFor } from "../../testing/background-plugins";
import type { PluginManager } from "../manager";
import type { ScheduleStatus } from "./scheduler";

const ID = "test-scheduler";
let manager: PluginManager;

const callHost = (fn: string, request: object | string) => callHostVia(manager, ID, "nd_test_scheduler", fn, request);
const callbacks = () => pluginLines(manager, ID, "callback ").map((l) => JSON.parse(l) as { scheduleId: string; payload: string; isRecurring: boolean });
const rawCallbacks = () => pluginLines(manager, ID, "callback ");
const schedules = () => (manager.loadedPlugin(ID)?.background().scheduler ?? []) as ScheduleStatus[];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  ({ manager } = await bootWithPlugins([ID]));
  await manager.enable(ID);
});

describe("scheduler_scheduleonetime", () => {
  it("answers the chosen ID and calls back once with the exact request", async () => {
    expect(await callHost("scheduler_scheduleonetime", { delaySeconds: 0, payload: "hello <&>", scheduleId: "first" })).toBe('{"newScheduleId":"first"}');
    const raw = await waitFor(() => rawCallbacks().find((l) => l.includes('"first"')), 10_000, "callback");
    expect(raw).toBe('{"scheduleId":"first","payload":"hello \\u003c\\u0026\\u003e","isRecurring":false}');
    await sleep(100);
    expect(callbacks().filter((c) => c.scheduleId === "first")).toHaveLength(1);
    expect(schedules().some((s) => s.id === "first")).toBe(false);
  });

  it("generates a 22-character base62 ID when none is given", async () => {
    const resp = JSON.parse(await callHost("scheduler_scheduleonetime", { delaySeconds: 60, payload: "later" })) as { newScheduleId: string };
    expect(resp.newScheduleId).toMatch(/^[0-9A-Za-z]{22}$/);
    expect(schedules().find((s) => s.id === resp.newScheduleId)).toMatchObject({ kind: "one-time", payload: "later", runs: 0 });
    expect(await callHost("scheduler_cancelschedule", { scheduleId: resp.newScheduleId })).toBe("{}");
  });

  it("fires after delaySeconds", async () => {
    // The due time is read from the schedule, bracketed by the call; the callback is then
    // checked against it, so load can only make it later, never fail the bounds.
    const t0 = Date.now();
    await callHost("scheduler_scheduleonetime", { delaySeconds: 1, payload: "one-second", scheduleId: "delayed" });
    const t1 = Date.now();
    const due = Date.parse(schedules().find((s) => s.id === "delayed")!.nextRunAt!);
    expect(due - t0).toBeGreaterThanOrEqual(1000);
    expect(due - t1).toBeLessThanOrEqual(1000);
    const line = await waitFor(() => manager.activity(ID).recentLines().find((l) => l.message.startsWith("callback ") && l.message.includes('"delayed"')), 15_000, "delayed callback");
    expect(Date.parse(line.at)).toBeGreaterThanOrEqual(due);
  });

  it("refuses an ID that is still registered and reports unknown IDs on cancel", async () => {
    await callHost("scheduler_scheduleonetime", { delaySeconds: 60, payload: "x", scheduleId: "taken" });
    expect(await callHost("scheduler_scheduleonetime", { delaySeconds: 1, payload: "y", scheduleId: "taken" })).toBe('{"error":"schedule ID \\"taken\\" already exists"}');
    expect(await callHost("scheduler_schedulerecurring", { cronExpression: "@every 1s", payload: "y", scheduleId: "taken" })).toBe('{"error":"schedule ID \\"taken\\" already exists"}');
    expect(await callHost("scheduler_cancelschedule", { scheduleId: "taken" })).toBe("{}");
    expect(await callHost("scheduler_cancelschedule", { scheduleId: "taken" })).toBe('{"error":"schedule ID \\"taken\\" not found"}');
  });

  it("answers undecodable requests with Go's decoder error", async () => {
    expect(await callHost("scheduler_scheduleonetime", '{"delaySeconds":"1"}')).toBe(
      '{"error":"json: cannot unmarshal string into Go struct field SchedulerScheduleOneTimeRequest.delaySeconds of type int32"}',
    );
    expect(await callHost("scheduler_scheduleonetime", '{"delaySeconds":1.5}')).toMatch(/^\{"error":"json: cannot unmarshal number 1.5 into Go struct field/);
  });

  it("keeps a one-time ID taken while its callback runs, and frees it afterwards", async () => {
    await callHost("scheduler_scheduleonetime", { delaySeconds: 0, payload: "schedule-duplicate:self-dup", scheduleId: "self-dup" });
    const result = await waitFor(() => pluginLines(manager, ID, "schedule-duplicate:self-dup -> ")[0], 2000, "duplicate attempt");
    expect(result).toBe('{"error":"schedule ID \\"self-dup\\" already exists"}');
    await waitFor(() => !schedules().some((s) => s.id === "self-dup"), 2000, "removal after the callback");
    expect(manager.activity(ID).recentLines().filter((l) => l.level === "error").map((l) => l.message)).toContain('schedule self-dup: plugin call failed: schedule ID "self-dup" already exists');
    expect(await callHost("scheduler_scheduleonetime", { delaySeconds: 60, payload: "again", scheduleId: "self-dup" })).toBe('{"newScheduleId":"self-dup"}');
    await callHost("scheduler_cancelschedule", { scheduleId: "self-dup" });
  });

  it("lets a callback schedule a follow-up (magic payload schedule-followup)", async () => {
    await callHost("scheduler_scheduleonetime", { delaySeconds: 0, payload: "schedule-followup", scheduleId: "leader" });
    expect(await waitFor(() => pluginLines(manager, ID, "schedule-followup -> ")[0], 2000, "follow-up")).toBe('{"newScheduleId":"followup-id"}');
    expect(await waitFor(() => callbacks().find((c) => c.scheduleId === "followup-id"), 3000, "follow-up callback")).toEqual({
      scheduleId: "followup-id",
      payload: "followup",
      isRecurring: false,
    });
  });
});

describe("scheduler_schedulerecurring", () => {
  it("fires on whole seconds for @every 1s, in order, until cancelled", async () => {
    expect(await callHost("scheduler_schedulerecurring", { cronExpression: "@every 1s", payload: "tick", scheduleId: "ticker" })).toBe('{"newScheduleId":"ticker"}');
    const status = schedules().find((s) => s.id === "ticker")!;
    expect(status).toMatchObject({ kind: "recurring", spec: "@every 1s" });
    expect(Date.parse(status.nextRunAt!) % 1000).toBe(0);
    await waitFor(() => callbacks().filter((c) => c.scheduleId === "ticker").length >= 3, 15_000, "three ticks");
    expect(rawCallbacks().filter((l) => l.includes('"ticker"'))[0]).toBe('{"scheduleId":"ticker","payload":"tick","isRecurring":true}');
    expect(await callHost("scheduler_cancelschedule", { scheduleId: "ticker" })).toBe("{}");
    const count = callbacks().filter((c) => c.scheduleId === "ticker").length;
    await sleep(1300);
    expect(callbacks().filter((c) => c.scheduleId === "ticker").length).toBe(count);
  });

  it("accepts the magic payload schedule-recurring from inside a callback", async () => {
    await callHost("scheduler_scheduleonetime", { delaySeconds: 0, payload: "schedule-recurring", scheduleId: "starter" });
    await waitFor(() => callbacks().filter((c) => c.scheduleId === "recurring-from-plugin").length >= 2, 15_000, "plugin-made recurring schedule");
    expect(callbacks().find((c) => c.scheduleId === "recurring-from-plugin")).toEqual({ scheduleId: "recurring-from-plugin", payload: "recurring", isRecurring: true });
    expect(await callHost("scheduler_cancelschedule", { scheduleId: "recurring-from-plugin" })).toBe("{}");
  });

  it("reports parser errors as failed to schedule task", async () => {
    expect(await callHost("scheduler_schedulerecurring", { cronExpression: "bogus", payload: "", scheduleId: "bad" })).toBe(
      '{"error":"failed to schedule task: expected 5 to 6 fields, found 1: [bogus]"}',
    );
    expect(await callHost("scheduler_schedulerecurring", { cronExpression: "", payload: "", scheduleId: "bad" })).toBe('{"error":"failed to schedule task: empty spec string"}');
    expect(schedules().some((s) => s.id === "bad")).toBe(false);
  });

  it("keeps the last callback error for the admin page", async () => {
    await callHost("scheduler_schedulerecurring", { cronExpression: "@every 1s", payload: "fail", scheduleId: "failing" });
    const s = await waitFor(() => schedules().find((x) => x.id === "failing" && x.lastError), 10_000, "a failed run");
    expect(s.lastError).toBe("plugin call failed: callback failed on purpose");
    expect(s.runs).toBeGreaterThanOrEqual(1);
    await callHost("scheduler_cancelschedule", { scheduleId: "failing" });
  });
});

describe("unload and reload (contract §4.3, §9 item 13)", () => {
  it("cancels every schedule on disable; nothing fires afterwards or comes back on enable", async () => {
    await callHost("scheduler_schedulerecurring", { cronExpression: "@every 1s", payload: "before-disable", scheduleId: "doomed" });
    await callHost("scheduler_scheduleonetime", { delaySeconds: 1, payload: "before-disable", scheduleId: "doomed-once" });
    await manager.disable(ID);
    const count = callbacks().length;
    await sleep(1500);
    expect(callbacks().length).toBe(count);
    await manager.enable(ID);
    expect(schedules()).toEqual([]);
  });

  it("re-runs nd_on_init on a settings save, which re-creates its schedule", async () => {
    await manager.saveSettings(ID, { config: JSON.stringify({ init_cron: "@every 1s" }) });
    expect(pluginLines(manager, ID, "init -> ").at(-1)).toBe('{"newScheduleId":"from-init"}');
    expect(schedules().map((s) => s.id)).toEqual(["from-init"]);
    await callHost("scheduler_scheduleonetime", { delaySeconds: 30, payload: "x", scheduleId: "extra" });
    await manager.saveSettings(ID, { config: JSON.stringify({ init_cron: "0 0 * * *" }) });
    expect(schedules().map((s) => [s.id, s.spec])).toEqual([["from-init", "0 0 * * *"]]);
    await manager.saveSettings(ID, { config: "{}" });
    expect(schedules()).toEqual([]);
  });
});
