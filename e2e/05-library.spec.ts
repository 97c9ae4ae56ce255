import { ADMIN, ensureAdmin, expect, signIn, test } from "./fixtures";

const auth = () => new URLSearchParams({ u: ADMIN.username, p: ADMIN.password, v: "1.16.1", c: "e2e", f: "json" });

test.describe("library", () => {
  test.beforeEach(async ({ request }) => {
    await ensureAdmin(request);
  });

  test("the admin sees the scanned demo library and can rescan it", async ({ page }) => {
    await signIn(page);
    await page.getByRole("link", { name: "Libraries", exact: true }).click();
    await expect(page.getByRole("heading", { name: "Libraries" })).toBeVisible();
    const row = page.getByTestId("library-1");
    await expect(row).toContainText("Music Library");
    await expect(async () => {
      await page.reload();
      await expect(page.getByTestId("library-1").getByRole("cell").nth(2)).toHaveText("10", { timeout: 1000 });
    }).toPass({ timeout: 30_000 });
    await expect(row.getByRole("cell").nth(3)).toHaveText("4");
    await expect(row.getByRole("cell").nth(4)).toHaveText("3");

    await page.getByRole("button", { name: "Scan now" }).click();
    await expect(page.getByTestId("scan-status")).toContainText(/Last scan finished .*: 10 files/, { timeout: 30_000 });
  });

  test("adding a library that is not a folder is refused on the field", async ({ page }) => {
    await signIn(page);
    await page.goto("/admin/libraries");
    await page.getByRole("button", { name: "Add library" }).click();
    await page.getByLabel(/^Name/).fill("Nowhere");
    await page.getByLabel(/^Folder on the server/).fill("/definitely/not/here");
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.getByText("not a folder on the server")).toBeVisible();
  });

  test("a browser <audio> element plays a demo track from the Subsonic stream and seeks in it", async ({ page }) => {
    await signIn(page);
    const result = await page.evaluate(async (query) => {
      const call = async (method: string, extra: Record<string, string> = {}) =>
        (await (await fetch(`/rest/${method}?${query}&${new URLSearchParams(extra)}`)).json())["subsonic-response"];
      // Wait for the start-up scan to have indexed the demo library.
      let artists = [];
      for (let i = 0; i < 60 && artists.length === 0; i++) {
        artists = ((await call("getArtists")).artists.index ?? []).flatMap((x: { artist: unknown[] }) => x.artist);
        if (!artists.length) await new Promise((r) => setTimeout(r, 500));
      }
      const artist = (await call("getArtist", { id: artists[0].id })).artist;
      const album = (await call("getAlbum", { id: artist.album[0].id })).album;
      const song = album.song[0];
      const audio = document.createElement("audio");
      audio.muted = true; // autoplay policy: muted playback needs no user gesture
      audio.src = `/rest/stream?${query}&id=${song.id}`;
      document.body.appendChild(audio);
      await audio.play();
      await new Promise<void>((resolve) => {
        const check = () => (audio.currentTime > 0.3 ? resolve() : setTimeout(check, 50));
        check();
      });
      const played = audio.currentTime;
      audio.currentTime = 5;
      await new Promise((r) => audio.addEventListener("seeked", r, { once: true }));
      return { title: song.title, duration: audio.duration, played, afterSeek: audio.currentTime, error: audio.error?.message ?? null };
    }, auth().toString());
    expect(result.error).toBeNull();
    expect(result.played).toBeGreaterThan(0.3);
    expect(result.duration).toBeCloseTo(8, 0);
    expect(result.afterSeek).toBeGreaterThanOrEqual(4.9);
  });
});
