import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CAPABILITY_EXPORTS } from "../lib/plugins/capabilities/registry";
import { EXPORT_TABLE, HOST_FUNCTION_TABLE, hostFunctionInfo } from "../lib/plugins/compat/host-functions";
import { compatTableMarkdown, END_MARKER, START_MARKER } from "./compat-table";
import { HOST_FUNCTIONS } from "./ndp/host-functions";

// The version table (lib/plugins/compat/host-functions.ts) must know every host function and
// export this server implements, or a plugin missing one would be told "unknown to every
// Navidrome release"; and the docs' table is generated from it.

describe("the version table covers what this server implements", () => {
  it("has every implemented host function, with the permission that grants it here", () => {
    for (const [permission, names] of Object.entries(HOST_FUNCTIONS)) {
      for (const name of names) expect(hostFunctionInfo(name)?.permission, name).toBe(permission === "config" ? null : permission);
    }
  });

  it("has every export a capability adapter calls", () => {
    const known = new Set(EXPORT_TABLE.map((e) => e.name));
    expect(Object.values(CAPABILITY_EXPORTS).flat().filter((e) => !known.has(e))).toEqual([]);
  });

  it("matches the addendum's per-release host-function counts (A5.2)", () => {
    const upTo = (releases: string[]) => HOST_FUNCTION_TABLE.filter((f) => f.introduced.release && releases.includes(f.introduced.release)).length;
    expect(upTo(["v0.60.0"])).toBe(35);
    expect(upTo(["v0.60.0", "v0.60.2"])).toBe(36);
    expect(upTo(["v0.60.0", "v0.60.2", "v0.61.0"])).toBe(45);
    expect(upTo(["v0.60.0", "v0.60.2", "v0.61.0", "v0.63.0"])).toBe(46);
    expect(HOST_FUNCTION_TABLE.length).toBe(51);
  });
});

describe("the docs' compatibility table", () => {
  it("has a row for every host function and export, with our status", () => {
    const md = compatTableMarkdown();
    for (const f of HOST_FUNCTION_TABLE) expect(md).toContain(`| \`${f.name}\` |`);
    for (const e of EXPORT_TABLE) expect(md).toContain(`| \`${e.name}\` |`);
    expect(md).toMatch(/^\| `storage_getstoragepath` \| `storage` \| v0\.64\.0 \| yes \|/m);
  });

  const doc = path.join(import.meta.dirname, "../docs/plugin-authors.md");
  const text = existsSync(doc) ? readFileSync(doc, "utf8") : "";
  // The docs cannot drift from the version table (nor lose the section).
  it("in docs/plugin-authors.md is the generated one", () => {
    expect(text).toContain(START_MARKER);
    const block = text.slice(text.indexOf(START_MARKER), text.indexOf(END_MARKER) + END_MARKER.length);
    expect(block).toBe(compatTableMarkdown());
  });
});
