import { describe, expect, it } from "vitest";
import { inertProblems } from "../security/testing/inert-html";
import { safeLinkUrl, sanitiseAgentHtml } from "./agent-html";

// Agent plugins are untrusted wasm; their biographies and album notes reach Subsonic clients that
// render them as HTML. Each hostile input comes from a class of the XSS cheat sheets; the check
// (lib/security/testing/inert-html.ts) shares no code with the sanitiser.
const LINK = (href: string) => `<a href="${href}" target="_blank" rel="noopener noreferrer nofollow">`;

const hostile: [string, string][] = [
  ["single-quoted handler (the reported case)", `<a href="x" onerror='alert(1)'>x</a>`],
  ["javascript: link (the reported case)", `<a href="javascript:alert(1)">x</a>`],
  ["mixed-case scheme", `<a href="JaVaScRiPt:alert(1)">x</a>`],
  ["hex entity inside scheme", `<a href="jav&#x61;script:alert(1)">x</a>`],
  ["decimal entity inside scheme", `<a href="jav&#97;script:alert(1)">x</a>`],
  ["every char as decimal entity", `<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>`],
  ["hex entities without semicolons", `<a href="&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A;alert(1)">x</a>`],
  ["zero-padded entity", `<a href="&#0000106avascript:alert(1)">x</a>`],
  ["tab inside scheme", `<a href="java\tscript:alert(1)">x</a>`],
  ["&Tab; inside scheme", `<a href="java&Tab;script:alert(1)">x</a>`],
  ["encoded newline inside scheme", `<a href="jav&#x0A;ascript:alert(1)">x</a>`],
  ["leading control char and spaces", `<a href=" \u0001 javascript:alert(1)">x</a>`],
  ["&colon; as the colon", `<a href="javascript&colon;alert(1)">x</a>`],
  ["unquoted javascript: href", `<a href=javascript:alert(1)>x</a>`],
  ["data: URL", `<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>`],
  ["vbscript: URL", `<a href="vbscript:msgbox(1)">x</a>`],
  ["uppercase img onerror", `<IMG SRC=x ONERROR=alert(1)>`],
  ["double-quoted img onerror", `<img src=x onerror="alert(1)">`],
  ["slash-separated attributes", `<img/src=x/onerror=alert(1)>`],
  ["svg onload", `<svg onload=alert(1)>`],
  ["script inside svg", `<svg><script>alert(1)</script></svg>`],
  ["svg link with xlink:href", `<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>`],
  ["math/style mutation XSS", `<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>`],
  ["uppercase script", `<SCRIPT>alert(1)</SCRIPT>`],
  ["external script", `<script src=//evil.example/x.js></script>`],
  ["split script tag (filter evasion)", `<scr<script>ipt>alert(1)</script>`],
  ["doubled brackets", `<<script>script>alert(1)<</script>/script>`],
  ["style with script URL", `<style>@import 'javascript:alert(1)';</style>`],
  ["iframe javascript:", `<iframe src="javascript:alert(1)"></iframe>`],
  ["iframe srcdoc", `<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>`],
  ["object data", `<object data="javascript:alert(1)"></object>`],
  ["embed data: URL", `<embed src="data:text/html,<script>alert(1)</script>">`],
  ["comment hiding a tag", `<!--<img src=x onerror=alert(1)>-->`],
  ["abrupt empty comment", `<!--><img src=x onerror=alert(1)>-->`],
  ["CDATA section", `<![CDATA[<script>alert(1)</script>]]>`],
  ["noscript mutation XSS", `<noscript><p title="</noscript><img src=x onerror=alert(1)>">`],
  ["handler on a kept link", `<a href="https://ok.example/" onclick="alert(1)">x</a>`],
  ["unquoted handler before href", `<a onmouseover=alert(1) href="https://ok.example/">x</a>`],
  ["no space after quoted value", `<a href="https://ok.example/"onclick=alert(1)>x</a>`],
  ["handler on an allowed tag", `<b onmouseover="alert(1)">x</b>`],
  ["style attribute", `<p style="background:url(javascript:alert(1))">x</p>`],
  ["tag swallowed by an unclosed one", `<a href="https://ok.example/" <img src=x onerror=alert(1)>x</a>`],
  ["unclosed tag at the end", `text <img src=x onerror=alert(1)`],
  ["form action", `<form action="javascript:alert(1)"><button>x</button></form>`],
  ["meta refresh", `<meta http-equiv="refresh" content="0;url=javascript:alert(1)">`],
  ["base href", `<base href="javascript:alert(1)//">`],
  ["body onload", `<body onload=alert(1)>`],
  ["unknown tag with handler", `<x onclick=alert(1)>x</x>`],
  ["attribute break-out", `"><script>alert(1)</script>`],
  ["textarea raw text", `<textarea><script>alert(1)</script></textarea>`],
  ["target/rel override", `<a href="https://ok.example/" target="_self" rel="opener">x</a>`],
  ["nested links", `<a href="https://a.example/"><a href="https://b.example/">x</a></a>`],
  ["unbalanced close tags", `</b></a></p>x<b>`],
];

describe("hostile agent HTML is made inert", () => {
  it.each(hostile)("%s", (_, input) => {
    const out = sanitiseAgentHtml(input);
    expect(inertProblems(out), out).toEqual([]);
  });

  it("keeps the text of dropped tags but not the content of script-like elements", () => {
    expect(sanitiseAgentHtml(`<a href="x" onerror='alert(1)'>Read more</a>`)).toBe("Read more");
    expect(sanitiseAgentHtml(`<span class="x">Sine</span> <SCRIPT>alert(1)</SCRIPT>tones`)).toBe("Sine tones");
    expect(sanitiseAgentHtml(`a<svg><text>b</text></svg>c<style>p{}</style>d<!-- e -->f`)).toBe("acdf");
    expect(sanitiseAgentHtml(`x<script>never closed`)).toBe("x");
  });

  it("keeps an allowed link but rebuilds its attributes", () => {
    expect(sanitiseAgentHtml(`<a onclick='alert(1)' HREF='https://ok.example/a' target=_self>x</a>`)).toBe(`${LINK("https://ok.example/a")}x</a>`);
  });

  it("leaves entity-encoded markup as text", () => {
    expect(sanitiseAgentHtml(`&lt;script&gt;alert(1)&lt;/script&gt;`)).toBe(`&lt;script&gt;alert(1)&lt;/script&gt;`);
  });
});

describe("benign agent HTML survives", () => {
  const lastfm = `Björk is an Icelandic singer. <a href="https://www.last.fm/music/Bj%C3%B6rk">Read more on Last.fm</a>`;
  const benign: [string, string, string][] = [
    ["Last.fm read-more link", lastfm, `Björk is an Icelandic singer. ${LINK("https://www.last.fm/music/Bj%C3%B6rk")}Read more on Last.fm</a>`],
    ["Last.fm link to X", `<a href="https://www.last.fm/music/X">Read more on Last.fm</a>`, `${LINK("https://www.last.fm/music/X")}Read more on Last.fm</a>`],
    [
      "Wikipedia text with entities and non-ASCII",
      `Björk Guðmundsdóttir (born 21 November 1965) is an Icelandic singer &amp; songwriter — “Homogenic” (1997), 東京 &eacute; &#233; &#xE9;.`,
      `Björk Guðmundsdóttir (born 21 November 1965) is an Icelandic singer &amp; songwriter — “Homogenic” (1997), 東京 &eacute; &#233; &#xE9;.`,
    ],
    ["formatting tags", `<b>Sine</b> &amp; <i>tones</i> <em>a</em><strong>b</strong><p>c</p>`, `<b>Sine</b> &amp; <i>tones</i> <em>a</em><strong>b</strong><p>c</p>`],
    ["uppercase allowed tags", `<B>x</B><BR/>`, `<b>x</b><br>`],
    ["lists", `<ul><li>one</li><li>two</li></ul>`, `<ul><li>one</li><li>two</li></ul>`],
    ["newlines become spaces (one line, as Navidrome stores it)", `one\ntwo\r\nthree`, `one two three`],
    ["bare ampersand and less-than", `Simon & Garfunkel, 1 < 2 > 0`, `Simon &amp; Garfunkel, 1 &lt; 2 &gt; 0`],
    ["query string with &amp;", `<a href="https://example.org/?a=1&amp;b=2">x</a>`, `${LINK("https://example.org/?a=1&amp;b=2")}x</a>`],
    ["mailto link", `<a href='mailto:band@example.org'>mail</a>`, `${LINK("mailto:band@example.org")}mail</a>`],
    ["unclosed allowed tag closed at the end", `<b>bold`, `<b>bold</b>`],
    ["emoji", `🎵 Björk 🎶`, `🎵 Björk 🎶`],
  ];
  it.each(benign)("%s", (_, input, expected) => {
    const out = sanitiseAgentHtml(input);
    expect(out).toBe(expected);
    expect(inertProblems(out)).toEqual([]);
    expect(sanitiseAgentHtml(out)).toBe(out); // idempotent: sanitising stored output again changes nothing
  });
});

describe("safeLinkUrl", () => {
  it.each([
    ["https://www.last.fm/music/X", "https://www.last.fm/music/X"],
    ["http://example.org/a b", "http://example.org/a%20b"],
    ["javascript:alert(1)", ""],
    [" JAVASCRIPT:alert(1)", ""],
    ["java\tscript:alert(1)", ""],
    ["data:text/html,x", ""],
    ["mailto:x@example.org", ""], // a page link, not a mail link
    ["//evil.example/", ""],
    ["not a url", ""],
  ])("%j → %j", (input, expected) => {
    expect(safeLinkUrl(input)).toBe(expected);
  });
});
