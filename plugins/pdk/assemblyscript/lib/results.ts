// What host service wrappers answer. AssemblyScript has no exceptions, so every result carries
// the host's error (null on success) next to its value, like Go's `(value, err)`:
//
//   const r = KVStore.getString("visits");
//   if (!r.ok) return fail<…>("reading visits: " + r.error!);
//   if (r.exists) …
import { fail } from "./call";
import { JSONValue } from "./json";

export class HostResult {
  /** The host's error message (`{"error": …}`), or null. */
  error: string | null = null;

  get ok(): bool {
    return this.error === null;
  }

  /** Fails the current call with `context: error` when this result is an error; answers `ok`. */
  check(context: string): bool {
    if (this.error === null) return true;
    fail(context.length > 0 ? context + ": " + this.error! : this.error!);
    return false;
  }

  /** Takes the error of a host response; true when there was one. */
  takeError(response: JSONValue): bool {
    const e = response.get("error");
    if (e === null || !e.isString || e.text.length == 0) return false;
    this.error = e.text;
    return true;
  }
}

/** A host call without a value. */
export class VoidResult extends HostResult {}

export class StringResult extends HostResult {
  value: string = "";
  /** For lookups: whether the key was there at all. */
  exists: bool = false;
}

export class IntResult extends HostResult {
  value: i64 = 0;
  exists: bool = false;
}

export class FloatResult extends HostResult {
  value: f64 = 0;
  exists: bool = false;
}

export class BoolResult extends HostResult {
  value: bool = false;
}

export class BytesResult extends HostResult {
  value: Uint8Array = new Uint8Array(0);
  exists: bool = false;

  /** The value as UTF-8 text. */
  text(): string {
    return String.UTF8.decode(this.value.buffer);
  }
}

export class StringListResult extends HostResult {
  values: string[] = [];
}

export class BytesMapResult extends HostResult {
  values: Map<string, Uint8Array> = new Map<string, Uint8Array>();
}
