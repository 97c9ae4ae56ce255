// Playwright global setup: builds the test plugin packages (cached) that specs copy from
// build/plugins into the server's plugins folder, so a run never uses stale or missing
// packages. It runs after the web server has started; that is fine, the server only sees a
// package when a spec copies it and rescans.
export default async function setup() {
  const { buildPlugins } = await import("../scripts/build-plugins.mjs");
  await buildPlugins({ quiet: true });
}
