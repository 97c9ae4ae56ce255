// Vitest global setup: builds the test plugin packages once per run so every test file
// loads real .ndp files from build/plugins.
export default async function setup() {
  const { buildPlugins } = await import("../../scripts/build-plugins.mjs");
  await buildPlugins({ quiet: true });
}
