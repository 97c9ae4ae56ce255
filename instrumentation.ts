// Next.js calls register() once per server process before the first request.
// Node-only start-up lives in lib/server/boot (kept out of the Edge bundle).
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { bootOrExit } = await import("./lib/server/boot");
    await bootOrExit();
  }
}
