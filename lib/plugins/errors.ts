/**
 * Errors of the plugin runtime. Messages follow Navidrome's wording (contract §1, §2.3)
 * because admins and plugin authors read them in logs and in `lastError`. Each class is
 * branded so routes recognise errors thrown by the manager's bundle copy (see brandErrorClass).
 */
import { brandErrorClass } from "../errors";

/** A plugin-level failure with the operation as context: `opening package: …`. */
export class PluginError extends Error {
  constructor(message: string, opts?: { cause?: unknown }) {
    super(message, opts);
    this.name = "PluginError";
  }
}

/** A package that cannot be read (contract §1.1). */
export class PackageError extends PluginError {
  constructor(message: string, opts?: { cause?: unknown }) {
    super(message, opts);
    this.name = "PackageError";
  }
}

/** An invalid manifest: Navidrome's message plus the JSON path of the offending value. */
export class ManifestError extends PluginError {
  /** JSON Pointer of the value at fault, e.g. `/permissions/taskqueue/maxConcurrency`. */
  readonly path: string;
  constructor(message: string, path = "", opts?: { cause?: unknown }) {
    super(message, opts);
    this.name = "ManifestError";
    this.path = path;
  }
}

/** Sentinel: the export does not exist (checked before calling; contract §2.3 step 2). */
export class FunctionNotFoundError extends PluginError {
  constructor(readonly functionName: string) {
    super(`function not found: ${functionName}`);
    this.name = "FunctionNotFoundError";
  }
}

/** Sentinel: the export returned -2 without an error message (contract §2.4). */
export class NotImplementedError extends PluginError {
  constructor(readonly functionName: string) {
    super(`function not implemented: ${functionName}`);
    this.name = "NotImplementedError";
  }
}

/** A call that failed: `plugin call failed: <msg>` or `plugin call exited with code N`. */
export class PluginCallError extends PluginError {
  constructor(message: string, opts?: { cause?: unknown }) {
    super(message, opts);
    this.name = "PluginCallError";
  }
}

for (const [cls, brand] of [
  [PluginError, "PluginError"],
  [PackageError, "PackageError"],
  [ManifestError, "ManifestError"],
  [FunctionNotFoundError, "FunctionNotFoundError"],
  [NotImplementedError, "NotImplementedError"],
  [PluginCallError, "PluginCallError"],
] as const)
  brandErrorClass(cls, brand);
