import { z } from "zod";
import { route } from "@/lib/http/route";
import { json } from "@/lib/http/respond";
import { scanStatus, startScan } from "@/lib/scanner/scanner";

// GET /api/scan – progress of the current or last scan (admin)
export const GET = route({ auth: "admin" }, async () => json(scanStatus()));

const ScanRequest = z.object({ full: z.boolean().optional(), libraryId: z.number().int().optional() }).prefault({});

// POST /api/scan – start a scan in the background {full?, libraryId?} (admin); answers the status
export const POST = route({ auth: "admin", body: ScanRequest }, async ({ body }) => {
  void startScan(body);
  return json(scanStatus(), { status: 202 });
});
