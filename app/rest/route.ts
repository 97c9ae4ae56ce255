import { handleSubsonic } from "@/lib/subsonic/dispatch";

export const dynamic = "force-dynamic";

// GET|POST /rest – Subsonic / OpenSubsonic calls as scripts/server.mjs forwards them: it sends
// `/rest/<method>[.view]` here with the method's path in a header, because Next.js serves a
// static route without the dynamic-route matching the catch-all ([...method]) costs on every
// request. The catch-all answers the same calls under `next dev` or a bare `next start`.
export const GET = (req: Request) => handleSubsonic(req);
export const POST = (req: Request) => handleSubsonic(req);
