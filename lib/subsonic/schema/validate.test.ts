import { describe, expect, it } from "vitest";
import { validateSubsonicJson } from "./validate";

const envelope = { status: "ok", version: "1.16.1", type: "tessitura", serverVersion: "0.1.0", openSubsonic: true };
const song = { id: "s1", isDir: false, title: "A", created: "2024-01-02T03:04:05.000Z", genres: [{ name: "Rock" }], artists: [{ id: "a1", name: "X" }] };
const album = { id: "al1", name: "B", songCount: 1, duration: 10, created: "2024-01-02T03:04:05Z" };

describe("validateSubsonicJson", () => {
  it("accepts a well-formed response, whole or inner", () => {
    const body = { ...envelope, albumList2: { album: [album] } };
    expect(validateSubsonicJson("getAlbumList2", { "subsonic-response": body })).toEqual({ valid: true, errors: [] });
    expect(validateSubsonicJson("getAlbumList2", body).valid).toBe(true);
    expect(validateSubsonicJson("getSong", { ...envelope, song }).valid).toBe(true);
    expect(validateSubsonicJson("ping", envelope).valid).toBe(true);
  });

  it("requires the OpenSubsonic envelope fields", () => {
    const { openSubsonic: _, ...old } = envelope;
    expect(validateSubsonicJson("ping", old).errors.join()).toMatch(/openSubsonic/);
    expect(validateSubsonicJson("ping", { ...envelope, version: "1.16" }).valid).toBe(false);
  });

  it("requires the method's element, and no other", () => {
    expect(validateSubsonicJson("getAlbumList2", envelope).errors.join()).toMatch(/albumList2/);
    expect(validateSubsonicJson("getAlbumList2", { ...envelope, albumList: { album: [] } }).valid).toBe(false);
    expect(validateSubsonicJson("star", { ...envelope, song }).valid).toBe(false);
  });

  it("checks item shapes: required fields, types, enums and dates", () => {
    const bad = (s: object) => validateSubsonicJson("getSong", { ...envelope, song: { ...song, ...s } }).valid;
    expect(bad({ id: undefined })).toBe(false);
    expect(bad({ isDir: "false" })).toBe(false);
    expect(bad({ created: "yesterday" })).toBe(false);
    expect(bad({ userRating: 0 })).toBe(false);
    expect(bad({ mediaType: "track" })).toBe(false);
    expect(bad({ genres: ["Rock"] })).toBe(false);
    const { created: _, ...noCreated } = album;
    expect(validateSubsonicJson("getAlbumList2", { ...envelope, albumList2: { album: [noCreated] } }).valid).toBe(false);
  });

  it("accepts errors for any method, and requires an error when failed", () => {
    const failed = { ...envelope, status: "failed", error: { code: 70, message: "not found" } };
    expect(validateSubsonicJson("getAlbum", failed).valid).toBe(true);
    expect(validateSubsonicJson("stream", failed).valid).toBe(true);
    expect(validateSubsonicJson("getAlbum", { ...envelope, status: "failed" }).valid).toBe(false);
    expect(validateSubsonicJson("getAlbum", { ...failed, error: { code: 99 } }).valid).toBe(false);
  });

  it("rejects success from a method without a registered element", () => {
    expect(validateSubsonicJson("getBookmarks", envelope).errors).toEqual(["no response element registered for method getBookmarks"]);
  });
});
