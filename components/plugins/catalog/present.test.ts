import { describe, expect, it } from "vitest";
import type { CatalogPluginView, CatalogVersionView, PermissionDiff, SignatureStatus } from "@/lib/plugin-catalog/types";
import { asksForMore, capabilityOptions, catalogAction, diffRows, fetchedAgo, signatureBadge } from "./present";

const noChange: PermissionDiff = {
  added: [],
  removed: [],
  hostsAdded: [],
  hostsRemoved: [],
  libraryWrite: { before: false, after: false },
  capabilitiesAdded: [],
  capabilitiesRemoved: [],
  requiresApproval: false,
};

const version = (v: string, extra: Partial<CatalogVersionView> = {}): CatalogVersionView => ({
  version: v,
  url: `p-${v}.ndp`,
  sha256: "0".repeat(64),
  size: 1,
  compatible: true,
  signatureStatus: "unsigned",
  ...extra,
});

const plugin = (extra: Partial<CatalogPluginView> = {}): CatalogPluginView => ({
  id: "p",
  name: "P",
  repository: { id: 1, url: "http://127.0.0.1/c.json", name: null },
  latest: version("1.0.0"),
  versions: [version("1.0.0")],
  installed: null,
  updateAvailable: null,
  ...extra,
});

describe("signature badges", () => {
  it("gives each of the four statuses its own label and colour", () => {
    const statuses: SignatureStatus[] = ["trusted", "unsigned", "bad-signature", "untrusted-key"];
    const badges = statuses.map(signatureBadge);
    expect(new Set(badges.map((b) => b.label)).size).toBe(4);
    expect(new Set(badges.map((b) => b.color)).size).toBe(4);
    expect(signatureBadge("trusted").color).toBe("success");
    expect(signatureBadge("bad-signature").color).toBe("error");
  });
});

describe("permission diff rows", () => {
  it("lists nothing for an update that changes nothing", () => {
    expect(diffRows(noChange)).toEqual([]);
    expect(asksForMore(noChange)).toBe(false);
  });

  it("puts additions first, then removals, and names what changed", () => {
    const rows = diffRows({
      ...noChange,
      added: ["http"],
      removed: ["cache"],
      hostsAdded: ["api.example.com"],
      hostsRemoved: ["old.example.com"],
      capabilitiesAdded: ["Scrobbler"],
      capabilitiesRemoved: ["LyricsProvider"],
      requiresApproval: true,
    });
    expect(rows).toEqual([
      { change: "added", kind: "permission", label: "Permission: http" },
      { change: "added", kind: "host", label: "Host: api.example.com" },
      { change: "added", kind: "capability", label: "Capability: Scrobbler" },
      { change: "removed", kind: "permission", label: "Permission: cache" },
      { change: "removed", kind: "host", label: "Host: old.example.com" },
      { change: "removed", kind: "capability", label: "Capability: LyricsProvider" },
    ]);
  });

  it("shows library write access only when it changes, as added or removed", () => {
    expect(diffRows({ ...noChange, libraryWrite: { before: true, after: true } })).toEqual([]);
    expect(diffRows({ ...noChange, libraryWrite: { before: false, after: true } })).toEqual([{ change: "added", kind: "library-write", label: "Library write access" }]);
    expect(diffRows({ ...noChange, libraryWrite: { before: true, after: false } })).toEqual([{ change: "removed", kind: "library-write", label: "Library write access" }]);
  });

  it("treats a diff that only removes as needing no approval, and any addition as needing one", () => {
    expect(asksForMore({ ...noChange, removed: ["http"] })).toBe(false);
    expect(asksForMore({ ...noChange, hostsAdded: ["x.example"] })).toBe(true);
    // The server's flag wins even when it knows more than the lines show.
    expect(asksForMore({ ...noChange, requiresApproval: true })).toBe(true);
  });
});

describe("catalog cards", () => {
  it("offers install of the newest compatible version", () => {
    expect(catalogAction(plugin({ latest: version("2.0.0") }))).toEqual({ kind: "install", version: "2.0.0" });
  });

  it("shows an installed plugin as installed, or its update", () => {
    expect(catalogAction(plugin({ installed: { version: "1.0.0" } }))).toEqual({ kind: "installed", version: "1.0.0" });
    expect(catalogAction(plugin({ installed: { version: "1.0.0" }, updateAvailable: "1.1.0" }))).toEqual({ kind: "update", from: "1.0.0", to: "1.1.0" });
  });

  it("disables a plugin with no compatible version and gives the server's reason", () => {
    const incompatible = version("3.0.0", { compatible: false, compatibilityNote: "needs Navidrome v0.70.0 or later" });
    expect(catalogAction(plugin({ latest: null, versions: [incompatible] }))).toEqual({ kind: "incompatible", note: "needs Navidrome v0.70.0 or later" });
    expect(catalogAction(plugin({ latest: null, versions: [] })).kind).toBe("incompatible");
  });

  it("offers each declared capability once, sorted, for the filter", () => {
    const plugins = [
      plugin({ versions: [version("1", { capabilities: ["Scrobbler", "LyricsProvider"] }), version("0", { capabilities: ["Scrobbler"] })] }),
      plugin({ id: "q", versions: [version("1", { capabilities: ["MetadataAgent"] }), version("0")] }),
    ];
    expect(capabilityOptions(plugins)).toEqual(["LyricsProvider", "MetadataAgent", "Scrobbler"]);
  });
});

describe("last fetched", () => {
  const now = Date.parse("2026-12-06T12:00:00Z");
  it("says never for a catalog not fetched yet", () => {
    expect(fetchedAgo(null, now)).toBe("never");
  });
  it("rounds down to the largest unit", () => {
    expect(fetchedAgo("2026-12-06T11:59:30Z", now)).toBe("just now");
    expect(fetchedAgo("2026-12-06T11:55:00Z", now)).toBe("5 minutes ago");
    expect(fetchedAgo("2026-12-06T09:30:00Z", now)).toBe("2 hours ago");
    expect(fetchedAgo("2026-12-04T11:00:00Z", now)).toBe("2 days ago");
  });
});
