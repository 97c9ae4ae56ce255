import { SubsonicError } from "./errors";

/** Typed readers over Subsonic query/form parameters. */
export class Params {
  constructor(readonly raw: URLSearchParams) {}

  string(name: string): string | undefined {
    return this.raw.get(name) ?? undefined;
  }

  required(name: string): string {
    const v = this.raw.get(name);
    if (v === null || v === "") throw new SubsonicError(10, `Required parameter '${name}' is missing.`);
    return v;
  }

  int(name: string, fallback: number): number;
  int(name: string): number | undefined;
  int(name: string, fallback?: number): number | undefined {
    const v = this.raw.get(name);
    if (v === null || v === "") return fallback;
    const n = Number(v);
    if (!Number.isSafeInteger(n)) throw new SubsonicError(0, `Invalid integer for '${name}': ${v}`);
    return n;
  }

  bool(name: string, fallback: boolean): boolean {
    const v = this.raw.get(name);
    if (v === null || v === "") return fallback;
    return v === "true" || v === "1";
  }

  all(name: string): string[] {
    return this.raw.getAll(name).filter((v) => v !== "");
  }
}
