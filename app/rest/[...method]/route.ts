import { handleSubsonic } from "@/lib/subsonic/dispatch";

export const dynamic = "force-dynamic";

// GET|POST /rest/<method>[.view] – Subsonic / OpenSubsonic API. `npm start` answers these
// calls before Next.js, on its fast path (lib/server/fast-routes.ts, same handler); this route
// serves them under `next dev` and a bare `next start`.
export const GET = (req: Request) => handleSubsonic(req);
export const POST = (req: Request) => handleSubsonic(req);
