import { describe, expect, it } from "vitest";
import { assertWellFormedXml, xmlElements } from "../testing/xml-check";
import { escapeXml, renderBody } from "./respond";

describe("escapeXml", () => {
  it("replaces characters XML 1.0 forbids by U+FFFD and keeps the rest", () => {
    expect(escapeXml("a\u0000b\u0008c\u000bd\u001fe\ufffef\uffffg")).toBe("a\ufffdb\ufffdc\ufffdd\ufffde\ufffdf\ufffdg");
    expect(escapeXml("lone \ud800 and \udc00, pair 🎵")).toBe("lone \ufffd and \ufffd, pair 🎵");
    expect(escapeXml(`<&>"'`)).toBe("&lt;&amp;&gt;&quot;&apos;");
  });

  it("writes tab, LF and CR as references so attribute values keep them", () => {
    expect(escapeXml("a\tb\nc\rd")).toBe("a&#9;b&#10;c&#13;d");
  });
});

describe("renderBody", () => {
  const body = { song: { id: "1", title: "x\u0001y\ud800", value: "text\u0002" } };

  it("renders well-formed XML whatever the strings hold", async () => {
    const xml = await renderBody("ok", body, { format: "xml" }).text();
    expect(assertWellFormedXml(xml)).toBe("subsonic-response");
    expect(xmlElements(xml, "song")[0].title).toBe("x\ufffdy\ufffd");
  });

  it("keeps JSON exact (JSON escapes control characters itself)", async () => {
    const text = await renderBody("ok", body, { format: "json" }).text();
    expect(text).toContain("x\\u0001y\\ud800");
    expect(JSON.parse(text)["subsonic-response"].song.title).toBe("x\u0001y\ud800");
  });

  it("sets the HTTP status and headers when asked", () => {
    const res = renderBody("failed", {}, { format: "json" }, { status: 413, headers: { Connection: "close" } });
    expect(res.status).toBe(413);
    expect(res.headers.get("connection")).toBe("close");
  });
});
