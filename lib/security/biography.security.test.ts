import fc from "fast-check";
import { copyFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sanitiseAgentHtml } from "../agents/agent-html";
import { db } from "../db/client";
import { pluginManager } from "../plugins";
import { startSubsonicTestServer, type SubsonicTestServer } from "../testing/subsonic-test-server";
import { inertProblems } from "./testing/inert-html";

// Agent plugins (untrusted wasm) write artist biographies and album notes that Subsonic clients
// render as HTML. Property: whatever an agent sends, what we emit has no executable construct.
// Seeded so a failure reproduces; `FUZZ_RUNS` raises the case count for a longer soak.
const RUNS = Number(process.env.FUZZ_RUNS ?? 2000);
const SEED = 20261213;

const EXECUTABLE = /<\s*(script|svg|iframe|style|object|embed)|srcdoc/i;

/** Executable constructs inside the tags of `html` (text between tags cannot execute). */
function executableInTags(html: string): string[] {
  const found: string[] = [];
  for (const m of html.matchAll(/<[^>]*>?/g)) {
    const tag = m[0].replace(/&#x?0*(58|3a);?|&colon;/gi, ":");
    if (/\son\w+\s*=/i.test(tag)) found.push(`handler: ${m[0]}`);
    if (/(href|src|action|data)\s*=\s*["']?\s*(javascript|data|vbscript):/i.test(tag.replace(/[\t\n\r]/g, ""))) found.push(`script URL: ${m[0]}`);
  }
  return found;
}

// Fragments from the XSS cheat-sheet classes, spliced with each other and with arbitrary text.
const scheme = fc.constantFrom("javascript:", "JaVaScRiPt:", "jav&#x61;script:", "jav&#97;script:", "java\tscript:", "java&Tab;script:", " \u0001javascript:", "javascript&colon;", "&#106;avascript:", "&#x6A&#x61vascript:", "data:text/html,", "vbscript:", "https://ok.example/", "mailto:a@b.example", "//evil.example/", "");
const quote = fc.constantFrom('"', "'", "");
const tagName = fc.constantFrom("a", "A", "img", "IMG", "svg", "math", "script", "SCRIPT", "style", "iframe", "object", "embed", "b", "p", "br", "x", "noscript", "textarea", "form", "base", "body", "mglyph", "template");
const attrName = fc.constantFrom("href", "HREF", "src", "onerror", "ONLOAD", "onclick", "onmouseover", "srcdoc", "style", "xlink:href", "data", "action", "target", "rel", "/onerror", "=x");
const attr = fc.tuple(fc.constantFrom(" ", "/", "\t", "\n", ""), attrName, fc.constantFrom("=", " = ", ""), quote, scheme, fc.constantFrom("alert(1)", "x", "&lt;script&gt;alert(1)&lt;/script&gt;", ""), quote).map((p) => p.join(""));
const fragment = fc.oneof(
  fc.tuple(fc.constantFrom("<", "</", "<<"), tagName, fc.array(attr, { maxLength: 3 }), fc.constantFrom(">", "/>", "", " >")).map(([o, n, as, c]) => o + n + as.join("") + c),
  fc.constantFrom("<!--", "-->", "--!>", "<!-->", "<![CDATA[", "]]>", "<?x ", "<!DOCTYPE html>", "&lt;", "&#60;", "&", "&amp;", '"', "'", ">", "<", "alert(1)", "Björk 東京 🎵", "\n", "\u0000"),
  fc.string({ maxLength: 12 }),
);
const hostileHtml = fc.array(fragment, { maxLength: 14 }).map((fs) => fs.join(""));

describe("agent HTML fuzz", () => {
  it("never emits an executable construct", () => {
    fc.assert(
      fc.property(hostileHtml, (input) => {
        const out = sanitiseAgentHtml(input);
        expect(out).not.toMatch(EXECUTABLE);
        expect(executableInTags(out)).toEqual([]);
        expect(inertProblems(out)).toEqual([]);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it("is idempotent (stored output sanitised again on the way out is unchanged)", () => {
    fc.assert(
      fc.property(hostileHtml, (input) => {
        const once = sanitiseAgentHtml(input);
        expect(sanitiseAgentHtml(once)).toBe(once);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it("stays linear on deep nesting and long unclosed constructs", () => {
    const n = 100_000;
    for (const input of ["<b>".repeat(n) + "</i>".repeat(n), "<a href='https://x.example/'>".repeat(n), "<svg>".repeat(n) + "x", "<!--" + "-".repeat(n), "<script>" + "<".repeat(n), "<a " + "x=".repeat(n)]) {
      const out = sanitiseAgentHtml(input);
      expect(inertProblems(out)).toEqual([]);
    }
  });
});

// End to end: a real wasm agent answering hostile HTML, real Subsonic requests on 127.0.0.1.
describe("Subsonic info from a hostile agent", () => {
  const built = path.join(import.meta.dirname, "../../build/plugins");
  const hostileBio = `Bio <a href="x" onerror='alert(1)'>a</a> <a href="jav&#x61;script:alert(1)">b</a> <img src=x onerror=alert(1)><svg onload=alert(1)></svg> <a href="https://www.last.fm/music/X">Read more on Last.fm</a>`;
  const hostileNotes = `Notes <IMG SRC=x ONERROR=alert(1)><script>alert(1)</script><a href=" javascript:alert(1)">c</a>`;
  let s: SubsonicTestServer;

  beforeAll(async () => {
    const plugins = mkdtempSync(path.join(tmpdir(), "tessitura-biography-"));
    copyFileSync(path.join(built, "test-library-agent.ndp"), path.join(plugins, "test-library-agent.ndp"));
    s = await startSubsonicTestServer({ env: { ND_PLUGINS_FOLDER: plugins, ND_AGENTS: "test-library-agent" } });
    const manager = pluginManager()!;
    await manager.saveSettings("test-library-agent", {
      config: JSON.stringify({ biography: hostileBio, url: "javascript:alert(1)", albumInfo: JSON.stringify({ name: "x", mbid: "", description: hostileNotes, url: "JAVASCRIPT:alert(1)" }) }),
    });
    await manager.enable("test-library-agent");
  }, 120_000);
  afterAll(() => s?.close());

  it("getArtistInfo/getArtistInfo2 answer a sanitised biography and no script URL", async () => {
    const artist = await db().artist.findFirstOrThrow({ where: { name: "Björk Demo" } });
    for (const method of ["getArtistInfo2", "getArtistInfo"]) {
      const r = await s.json(method, { id: artist.id });
      const info = r.artistInfo2 ?? r.artistInfo;
      expect(inertProblems(info.biography)).toEqual([]);
      expect(info.biography).toContain(`<a href="https://www.last.fm/music/X" target="_blank" rel="noopener noreferrer nofollow">Read more on Last.fm</a>`);
      expect(info.lastFmUrl).toBeUndefined();
    }
    const xml = await (await s.raw("getArtistInfo2", { id: artist.id })).text();
    expect(xml).not.toMatch(/onerror|javascript:|&lt;img|&lt;svg/i);
  });

  it("getAlbumInfo/getAlbumInfo2 answer sanitised notes and no script URL", async () => {
    const album = await db().album.findFirstOrThrow();
    for (const method of ["getAlbumInfo", "getAlbumInfo2"]) {
      const info = (await s.json(method, { id: album.id })).albumInfo;
      expect(info.notes).toBe("Notes c");
      expect(info.lastFmUrl).toBeUndefined();
    }
  });

  it("sanitises info stored before the sanitiser existed on the way out", async () => {
    const artist = await db().artist.findFirstOrThrow({ where: { name: "Test Pattern" } });
    const album = await db().album.findFirstOrThrow({ where: { NOT: { albumArtist: "Björk Demo" } } });
    const legacy = `<a href="x" onerror='alert(1)'>old</a><a href="javascript:alert(1)">bio</a>`;
    await db().artist.update({ where: { id: artist.id }, data: { biography: legacy, externalUrl: "javascript:alert(1)", externalInfoUpdatedAt: new Date() } });
    await db().album.update({ where: { id: album.id }, data: { description: legacy, externalUrl: "javascript:alert(1)", externalInfoUpdatedAt: new Date() } });
    const a = (await s.json("getArtistInfo2", { id: artist.id })).artistInfo2;
    expect([a.biography, a.lastFmUrl]).toEqual(["oldbio", undefined]);
    const al = (await s.json("getAlbumInfo2", { id: album.id })).albumInfo;
    expect([al.notes, al.lastFmUrl]).toEqual(["oldbio", undefined]);
  });
});
