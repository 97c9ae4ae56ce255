import { describe, expect, it } from "vitest";
import { attachmentDisposition } from "./respond";

describe("attachmentDisposition", () => {
  it("keeps a plain ASCII name in both forms", () => {
    expect(attachmentDisposition("my-plugin.ndp")).toBe(`attachment; filename="my-plugin.ndp"; filename*=UTF-8''my-plugin.ndp`);
  });

  it("gives any name a header value Response accepts, with the exact name in filename*", () => {
    for (const name of ["überplugin-€.ndp", "音楽.ndp", "emoji-🎵.ndp", 'quote"back\\slash.ndp', "line\r\nbreak\u0001.ndp", "lone-\ud800.ndp", "it's (1)*.ndp"]) {
      const value = attachmentDisposition(name);
      const res = new Response(null, { headers: { "Content-Disposition": value } });
      expect(res.headers.get("content-disposition")).toBe(value);
      const fallback = value.match(/filename="([^"]*)"/)![1];
      expect(fallback).toMatch(/^[\x20-\x7e]*$/);
      const exact = decodeURIComponent(value.split("filename*=UTF-8''")[1]);
      expect(exact).toBe(name.replace(/\ud800/, "\ufffd"));
    }
  });

  it("replaces each non-ASCII character, astral ones included, by one _", () => {
    expect(attachmentDisposition("a🎵b.ndp")).toContain('filename="a_b.ndp"');
  });
});
