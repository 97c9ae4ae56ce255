import type { CatalogPluginView, PermissionDiff, SignatureStatus } from "@/lib/plugin-catalog/types";

/**
 * How the plugin catalog pages present the lifecycle API's answers: pure functions, so the
 * wording and the decisions (what counts as "new", which button a card shows) are tested
 * without a browser.
 */

export interface SignatureBadge {
  label: string;
  color: "success" | "default" | "error" | "warning";
  /** Tooltip: what the status means for the admin. */
  title: string;
}

const SIGNATURE_BADGES: Record<SignatureStatus, SignatureBadge> = {
  trusted: { label: "Signed · trusted", color: "success", title: "Signed with a key this server trusts (Plugins.TrustedKeys)" },
  unsigned: { label: "Unsigned", color: "default", title: "The catalog gives no signature; only its sha256 is checked" },
  "bad-signature": { label: "Bad signature", color: "error", title: "The signature does not match the package hash: do not install" },
  "untrusted-key": { label: "Untrusted key", color: "warning", title: "Signed, but with a key that is not in Plugins.TrustedKeys" },
};

/** The badge for a signature status; distinct label and colour for each of the four. */
export function signatureBadge(status: SignatureStatus): SignatureBadge {
  return SIGNATURE_BADGES[status] ?? SIGNATURE_BADGES.unsigned;
}

/** One line of a permission diff as the update view lists it. */
export interface DiffRow {
  change: "added" | "removed";
  kind: "permission" | "host" | "library-write" | "capability";
  label: string;
}

/**
 * The lines of a permission diff, additions first (they are what the admin approves), each
 * group in the API's order. Library write access counts as a line when it changes.
 */
export function diffRows(diff: PermissionDiff): DiffRow[] {
  const rows = (change: DiffRow["change"], kind: DiffRow["kind"], labels: string[], prefix: string): DiffRow[] =>
    labels.map((l) => ({ change, kind, label: `${prefix}${l}` }));
  const write = diff.libraryWrite.before !== diff.libraryWrite.after;
  return [
    ...rows("added", "permission", diff.added, "Permission: "),
    ...rows("added", "host", diff.hostsAdded, "Host: "),
    ...(write && diff.libraryWrite.after ? [{ change: "added" as const, kind: "library-write" as const, label: "Library write access" }] : []),
    ...rows("added", "capability", diff.capabilitiesAdded, "Capability: "),
    ...rows("removed", "permission", diff.removed, "Permission: "),
    ...rows("removed", "host", diff.hostsRemoved, "Host: "),
    ...(write && !diff.libraryWrite.after ? [{ change: "removed" as const, kind: "library-write" as const, label: "Library write access" }] : []),
    ...rows("removed", "capability", diff.capabilitiesRemoved, "Capability: "),
  ];
}

/** Whether an update asks for anything new; the server's flag wins, the lines back it up. */
export function asksForMore(diff: PermissionDiff): boolean {
  return diff.requiresApproval || diffRows(diff).some((r) => r.change === "added");
}

/** The capabilities offered by the filter: every one a catalog version declares, sorted. */
export function capabilityOptions(plugins: CatalogPluginView[]): string[] {
  const all = new Set<string>();
  for (const p of plugins) for (const v of p.versions) for (const c of v.capabilities ?? []) all.add(c);
  return [...all].sort((a, b) => a.localeCompare(b));
}

/** What a catalog card offers: install, go to the installed plugin's update, or nothing. */
export type CatalogAction =
  | { kind: "install"; version: string }
  | { kind: "update"; from: string; to: string }
  | { kind: "installed"; version: string }
  | { kind: "incompatible"; note: string };

export function catalogAction(p: CatalogPluginView): CatalogAction {
  if (p.installed && p.updateAvailable) return { kind: "update", from: p.installed.version, to: p.updateAvailable };
  if (p.installed) return { kind: "installed", version: p.installed.version };
  if (p.latest) return { kind: "install", version: p.latest.version };
  const note = p.versions.find((v) => v.compatibilityNote)?.compatibilityNote;
  return { kind: "incompatible", note: note ?? "No version of this plugin is compatible with this server" };
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["day", 86_400_000],
  ["hour", 3_600_000],
  ["minute", 60_000],
];

/** "never", "just now", "5 minutes ago", "2 days ago": when a catalog was last fetched. */
export function fetchedAgo(iso: string | null, now: number = Date.now()): string {
  if (!iso) return "never";
  const ms = now - new Date(iso).getTime();
  if (!Number.isFinite(ms)) return "never";
  if (ms < 60_000) return "just now";
  const fmt = new Intl.RelativeTimeFormat("en", { numeric: "always" });
  const [unit, size] = UNITS.find(([, s]) => ms >= s)!;
  return fmt.format(-Math.floor(ms / size), unit);
}
