import { beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../errors";
import type { PluginManager } from "../plugins";
import { bootWithPlugins, callHost as callHostVia } from "../testing/background-plugins";
import { getPluginBackground } from "./background";

const ID = "test-scheduler";
let manager: PluginManager;

const callHost = (fn: string, request: object) => callHostVia(manager, ID, "nd_test_scheduler", fn, request);

beforeAll(async () => {
  ({ manager } = await bootWithPlugins([ID]));
  await manager.enable(ID);
});

describe("getPluginBackground (admin page)", () => {
  it("lists active schedules with next run, and answers NOT_FOUND for unknown plugins", async () => {
    await callHost("scheduler_schedulerecurring", { cronExpression: "0 0 * * *", payload: "nightly", scheduleId: "nightly" });
    const bg = await getPluginBackground(manager, ID);
    expect(bg).toMatchObject({ loaded: true, connections: [], taskQueues: null });
    expect(bg.schedules.find((s) => s.id === "nightly")).toMatchObject({ kind: "recurring", spec: "0 0 * * *", runs: 0, lastRunAt: null, lastError: null });
    expect(Date.parse(bg.schedules.find((s) => s.id === "nightly")!.nextRunAt!)).toBeGreaterThan(Date.now());
    await callHost("scheduler_cancelschedule", { scheduleId: "nightly" });
    const missing = await getPluginBackground(manager, "nope").catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(AppError);
    expect(missing).toMatchObject({ code: "NOT_FOUND", message: "Plugin not found" });
  });

  it("answers an empty, unloaded view for a disabled plugin", async () => {
    await manager.disable(ID);
    expect(await getPluginBackground(manager, ID)).toEqual({ loaded: false, schedules: [], connections: [], taskQueues: null });
    await manager.enable(ID);
  });
});
