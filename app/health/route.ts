export const dynamic = "force-dynamic";

const BODY = JSON.stringify({ status: "ok" });

/**
 * GET /health – a liveness probe answering a constant, without authentication and
 * without touching the database (nothing in it says more than "the process answers HTTP").
 * Outside /api on purpose: every /api route is admin-only (lib/security/api-auth.security.test.ts).
 * It is also the trivial route `npm run bench -- --load` measures the Subsonic API against
 * (issue #18: an authenticated `ping` at ≥ 0.8× its throughput on the same server).
 */
export function GET(): Response {
  return new Response(BODY, { headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" } });
}
