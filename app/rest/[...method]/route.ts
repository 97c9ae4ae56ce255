import { handleSubsonic } from "@/lib/subsonic/dispatch";

export const dynamic = "force-dynamic";

// GET|POST /rest/<method>[.view] – Subsonic / OpenSubsonic API
export const GET = (req: Request) => handleSubsonic(req);
export const POST = (req: Request) => handleSubsonic(req);
