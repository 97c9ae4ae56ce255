import { describe, expect, it } from "vitest";
import { AppError } from "../errors";
import { assertJsonDepth, parseJsonBody, readBodyLimited, readTextLimited } from "./body";

/** A request whose body is served chunk by chunk on demand; `pulled()` says how much was taken. */
function streamingRequest(chunks: number, chunkSize: number, headers: Record<string, string> = {}) {
  let pulled = 0;
  let served = 0;
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (served === chunks) return controller.close();
        served++;
        pulled += chunkSize;
        controller.enqueue(new Uint8Array(chunkSize).fill(0x61));
      },
    },
    { highWaterMark: 0 },
  );
  const req = new Request("http://127.0.0.1/x", { method: "POST", headers, body, duplex: "half" } as RequestInit);
  return { req, pulled: () => pulled };
}

const tooLarge = { code: "TOO_LARGE" };

describe("readBodyLimited", () => {
  it("returns a body within the limit, whole", async () => {
    const { req } = streamingRequest(4, 1000);
    expect((await readBodyLimited(req, 4000)).byteLength).toBe(4000);
  });

  it("stops reading as soon as the limit is passed, whatever Content-Length claims", async () => {
    const { req, pulled } = streamingRequest(1000, 64 * 1024, { "content-length": "10" });
    await expect(readBodyLimited(req, 1024 * 1024)).rejects.toMatchObject(tooLarge);
    // 1 MiB allowed: it stops within one chunk after the limit, not after the 64 MB offered.
    expect(pulled()).toBeLessThanOrEqual(1024 * 1024 + 2 * 64 * 1024);
  });

  it("refuses a declared Content-Length above the limit without reading", async () => {
    const { req, pulled } = streamingRequest(10, 1000, { "content-length": String(10_000) });
    await expect(readBodyLimited(req, 5000)).rejects.toBeInstanceOf(AppError);
    expect(pulled()).toBe(0);
  });

  it("reads an absent body as empty", async () => {
    expect((await readBodyLimited(new Request("http://127.0.0.1/x"), 10)).byteLength).toBe(0);
  });

  it("decodes text as UTF-8", async () => {
    const req = new Request("http://127.0.0.1/x", { method: "POST", body: "grüß €" });
    expect(await readTextLimited(req, 100)).toBe("grüß €");
  });
});

describe("assertJsonDepth", () => {
  const nest = (n: number) => "[".repeat(n) + "]".repeat(n);

  it("accepts nesting up to the limit and refuses one level more", () => {
    expect(() => assertJsonDepth(nest(64))).not.toThrow();
    expect(() => assertJsonDepth(`{"a":${nest(63)}}`)).not.toThrow();
    expect(() => assertJsonDepth(nest(65))).toThrow("request body nests deeper than 64 levels");
  });

  it("does not count brackets inside strings, escaped quotes included", () => {
    expect(() => assertJsonDepth(JSON.stringify({ s: "[".repeat(500), t: '\\"[[[[' + "{".repeat(100) }))).not.toThrow();
    expect(() => assertJsonDepth(JSON.stringify(["\\", nest(70)]), 3)).not.toThrow();
  });

  it("counts sequential siblings at their own depth, not cumulatively", () => {
    expect(() => assertJsonDepth(`[${Array(1000).fill(nest(10)).join(",")}]`)).not.toThrow();
  });
});

describe("parseJsonBody", () => {
  it("parses JSON, and answers INVALID_INPUT for text that is not", () => {
    expect(parseJsonBody('{"a":[1]}')).toEqual({ a: [1] });
    expect(() => parseJsonBody("{nope")).toThrow("request body is not valid JSON");
  });
});
