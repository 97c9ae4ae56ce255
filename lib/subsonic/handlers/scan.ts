import "server-only";
import { libraryScanTotals } from "../../db/libraries";
import { scanStatus, startScan as startLibraryScan } from "../../scanner/scanner";
import type { SubsonicHandler } from "../context";
import { SubsonicError } from "../errors";

/**
 * `scanStatus`: while scanning, `count` is the files examined so far; when idle, the
 * tracks in the libraries. `folderCount` is the libraries; `lastScan` the latest finish.
 */
async function currentScanStatus() {
  const status = scanStatus();
  const libs = await libraryScanTotals();
  const last = libs.reduce<Date | null>((max, l) => (l.lastScanAt && (!max || l.lastScanAt > max) ? l.lastScanAt : max), status.finishedAt);
  return {
    scanStatus: {
      scanning: status.scanning,
      count: status.scanning ? status.count : libs.reduce((s, l) => s + l.totalSongs, 0),
      folderCount: libs.length,
      lastScan: last?.toISOString(),
    },
  };
}

export const getScanStatus: SubsonicHandler = async () => currentScanStatus();

/** Starts a scan in the background (admins only) and answers the status right away. */
export const startScan: SubsonicHandler = async (ctx) => {
  if (!ctx.user.isAdmin) throw new SubsonicError(50, "Only admins may start a scan");
  // startScan records its own failures in the scan status; nothing to await here.
  void startLibraryScan({ full: ctx.params.bool("fullScan", false) });
  return currentScanStatus();
};
