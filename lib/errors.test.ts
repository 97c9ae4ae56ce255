import { describe, expect, it, vi } from "vitest";

// Two evaluations of the same module stand in for two Next bundles (instrumentation and a route).
async function freshCopy<T>(load: () => Promise<T>): Promise<T> {
  vi.resetModules();
  return load();
}

describe("brandErrorClass", () => {
  it("an AppError from another bundle copy is still an AppError, with its code", async () => {
    const a = await freshCopy(() => import("./errors"));
    const b = await freshCopy(() => import("./errors"));
    expect(a.AppError).not.toBe(b.AppError);
    const err = new a.AppError("UNPROCESSABLE", "gate closed");
    expect(err instanceof b.AppError).toBe(true);
    expect(err instanceof Error).toBe(true);
    expect(new Error("plain") instanceof b.AppError).toBe(false);
    expect(new a.ConfigError("x") instanceof b.AppError).toBe(false);
  });

  it("keeps the class chain: a subclass instance is its parent, not the other way round", async () => {
    const a = await freshCopy(() => import("./plugins/errors"));
    const b = await freshCopy(() => import("./plugins/errors"));
    const notFound = new a.FunctionNotFoundError("nd_x");
    expect(notFound instanceof b.FunctionNotFoundError).toBe(true);
    expect(notFound instanceof b.PluginError).toBe(true);
    expect(notFound instanceof b.PluginCallError).toBe(false);
    expect(new a.PluginError("x") instanceof b.FunctionNotFoundError).toBe(false);
    expect(new a.ManifestError("bad", "/name").path).toBe("/name");
  });
});

describe("branded subclasses", () => {
  it("an unbranded subclass does not match its siblings", async () => {
    const { PluginError, PackageError } = await import("./plugins/errors");
    class Unbranded extends PluginError {}
    expect(new PackageError("x") instanceof Unbranded).toBe(false);
    expect(new Unbranded("x") instanceof Unbranded).toBe(true);
    expect(new Unbranded("x") instanceof PluginError).toBe(true);
  });
});
