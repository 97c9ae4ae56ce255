import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addressGranted } from "./policy";
import { AddressNotAllowedError, pinnedLookup, resolveAllowedAddress } from "./resolve";

let server: http.Server;
let port = 0;
beforeAll(async () => {
  server = http.createServer((req, res) => res.end(`${req.headers.host}`));
  await new Promise<void>((r) => server.listen(0, "127.0.0.2", r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => void server.close());

describe("resolveAllowedAddress", () => {
  const only127002 = (a: string) => addressGranted(a, (h) => h === "127.0.0.2");

  it("uses an IP literal as it is, in canonical form, without asking DNS", async () => {
    const lookup = async () => {
      throw new Error("DNS asked");
    };
    expect(await resolveAllowedAddress("127.0.0.2", lookup, only127002)).toBe("127.0.0.2");
    expect(await resolveAllowedAddress("0:0:0:0:0:ffff:808:808", lookup, only127002)).toBe("::ffff:808:808");
  });

  it("resolves a name once and refuses it when any answer is outside the grant", async () => {
    const calls: string[] = [];
    const lookup = async (h: string) => (calls.push(h), ["8.8.8.8", "127.0.0.1"]);
    const err = await resolveAllowedAddress("mixed.test", lookup, only127002).catch((e: Error) => e);
    expect(err).toBeInstanceOf(AddressNotAllowedError);
    expect((err as AddressNotAllowedError).address).toBe("127.0.0.1");
    expect(calls).toEqual(["mixed.test"]);
  });
});

describe("pinnedLookup", () => {
  it("sends a request for a name that has no DNS entry to exactly the pinned address, keeping the name as Host", async () => {
    const body = await new Promise<string>((resolve, reject) => {
      http
        .get({ hostname: "pinned.invalid", port, path: "/", lookup: pinnedLookup("127.0.0.2"), agent: false }, (res) => {
          let text = "";
          res.on("data", (c: Buffer) => (text += c));
          res.on("end", () => resolve(text));
        })
        .on("error", reject);
    });
    expect(body).toBe(`pinned.invalid:${port}`);
  });
});
