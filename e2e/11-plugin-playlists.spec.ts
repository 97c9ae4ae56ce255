import type { APIRequestContext } from "@playwright/test";
import { ADMIN, apiToken, ensureAdmin, expect, signIn, test, pluginAdmin } from "./fixtures";

// A PlaylistProvider plugin (addendum A3, open PR #5148) offers one playlist owned by the
// admin, built from two demo tracks named by title and artist. The server matches them,
// stores the playlist read-only, answers it through Subsonic getPlaylists/getPlaylist, and
// lists it with its refresh times on the plugin's admin page.

const PLUGIN = "test-playlist-provider";

let token: string;

test.beforeAll(async ({ request }) => {
  await ensureAdmin(request);
  token = await apiToken(request);
});

function adminApi(request: APIRequestContext) {
  const api = pluginAdmin(request, token, PLUGIN);
  const headers = api.headers;
  return {
    ...api,
    playlists: async () => (await request.get(`/api/plugin/${PLUGIN}/playlists`, { headers })).json(),
  };
}

const subsonic = async (request: APIRequestContext, method: string, extra: Record<string, string> = {}) => {
  const query = new URLSearchParams({ u: ADMIN.username, p: ADMIN.password, v: "1.16.1", c: "e2e", f: "json", ...extra });
  return (await (await request.get(`/rest/${method}?${query}`)).json())["subsonic-response"];
};

test("a plugin's playlist appears through Subsonic and on the plugin's admin page", async ({ page, request }) => {
  const api = adminApi(request);
  try {
    // Wait for the start-up scan to have indexed the demo library.
    let songs: { id: string; title: string; artist: string }[] = [];
    for (let i = 0; i < 60 && songs.length < 2; i++) {
      songs = (await subsonic(request, "search3", { query: "", songCount: "2", artistCount: "0", albumCount: "0" })).searchResult3?.song ?? [];
      if (songs.length < 2) await new Promise((r) => setTimeout(r, 500));
    }
    expect(songs.length).toBe(2);

    await api.install();
    const config = {
      discovery: JSON.stringify({ playlists: [{ id: "e2e-mix", ownerUsername: ADMIN.username }], refreshInterval: 3600, retryInterval: 60 }),
      "playlist_e2e-mix": JSON.stringify({
        name: "E2E plugin mix",
        description: "Made by a plugin",
        tracks: songs.map((s) => ({ name: s.title, artist: s.artist })),
        validUntil: 0,
      }),
    };
    expect((await api.put({ allUsers: true, config: JSON.stringify(config) })).status()).toBe(200);
    expect((await api.put({ enabled: true })).status()).toBe(200);

    // The first sync runs right after the plugin loads.
    let mix: { id: string; name: string; readonly?: boolean; songCount: number } | undefined;
    for (let i = 0; i < 40 && !mix; i++) {
      mix = ((await subsonic(request, "getPlaylists")).playlists.playlist ?? []).find((p: { name: string }) => p.name === "E2E plugin mix");
      if (!mix) await new Promise((r) => setTimeout(r, 250));
    }
    expect(mix).toMatchObject({ name: "E2E plugin mix", readonly: true, songCount: 2 });
    const { playlist } = await subsonic(request, "getPlaylist", { id: mix!.id });
    expect(playlist.entry.map((e: { id: string }) => e.id)).toEqual(songs.map((s) => s.id));
    // Read-only: the name belongs to the plugin.
    expect((await subsonic(request, "updatePlaylist", { playlistId: mix!.id, name: "renamed" })).error.code).toBe(50);

    const view = await api.playlists();
    expect(view).toMatchObject({ syncing: true, playlists: [expect.objectContaining({ pluginPlaylistId: "e2e-mix", owner: ADMIN.username, tracks: 2 })] });
    expect(view.nextDiscoveryAt).not.toBeNull();

    await signIn(page);
    await page.getByRole("link", { name: "Plugins", exact: true }).click();
    await page.getByTestId(`plugin-row-${PLUGIN}`).getByRole("link", { name: PLUGIN }).click();
    await expect(page.getByRole("heading", { name: PLUGIN })).toBeVisible();
    const card = page.getByTestId("playlists-card");
    await expect(card).toBeVisible();
    await expect(card.getByTestId("playlists-discovery")).toContainText("next refresh");
    const row = card.getByTestId("plugin-playlist-e2e-mix");
    await expect(row).toContainText("E2E plugin mix");
    await expect(row).toContainText(ADMIN.username);
  } finally {
    await api.uninstall();
  }
});
