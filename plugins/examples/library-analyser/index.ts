// library-analyser: after every load, one background task per library walks its mount
// (`/libraries/<id>`, read-only) and writes `/storage/report-<id>.json`. The custom export
// `library_report` answers one report ({"libraryId": 1}) or all of them ({}).
import {
  DirEntry,
  fail,
  FileSystem,
  handleAbort,
  JSONWriter,
  Library,
  Lifecycle,
  Log,
  parseJSON,
  QueueConfig,
  readRequest,
  registerLifecycle,
  registerTaskWorker,
  respondEmpty,
  respondJSON,
  Storage,
  TaskExecuteRequest,
  TaskQueue,
  TaskWorker,
  Time,
  FAILED,
} from "@tessitura/ndp-pdk";

export * from "@tessitura/ndp-pdk/exports/lifecycle";
export * from "@tessitura/ndp-pdk/exports/task-worker";

function myAbort(message: string | null, fileName: string | null, line: u32, column: u32): void {
  handleAbort(message, fileName, line, column);
}

const QUEUE = "analyse";
const AUDIO = ["mp3", "flac", "ogg", "oga", "opus", "m4a", "aac", "wav", "wma", "aiff", "aif", "ape", "wv", "dsf"];
const COVERS = ["cover", "folder", "front", "album"];
const IMAGES = ["jpg", "jpeg", "png", "webp"];
const MAX_LISTED = 20;

function extensionOf(name: string): string {
  const dot = name.lastIndexOf(".");
  return dot > 0 ? name.substring(dot + 1).toLowerCase() : "";
}

function isCover(name: string): bool {
  const ext = extensionOf(name);
  const base = name.substring(0, name.length - ext.length - 1).toLowerCase();
  return IMAGES.includes(ext) && COVERS.includes(base);
}

class Findings {
  folders: i32 = 0;
  files: i32 = 0;
  audioFiles: i32 = 0;
  bytes: i64 = 0;
  lyricsFiles: i32 = 0;
  byExtension: Map<string, i32> = new Map<string, i32>();
  withoutCover: string[] = [];
  withoutCoverCount: i32 = 0;
  unreadable: string[] = [];
}

/** Walks `root` depth-first; folders with audio but no cover image are noted. */
function analyse(root: string): Findings {
  const f = new Findings();
  const pending: string[] = [root];
  while (pending.length > 0) {
    const dir = pending.pop();
    const listing = FileSystem.readDir(dir);
    if (!listing.ok) {
      if (f.unreadable.length < MAX_LISTED) f.unreadable.push(listing.error!);
      continue;
    }
    f.folders++;
    let audio = 0;
    let cover = false;
    const entries: DirEntry[] = listing.entries;
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i];
      const path = dir + "/" + e.name;
      if (e.isDirectory) {
        pending.push(path);
        continue;
      }
      if (!e.isFile) continue;
      f.files++;
      const ext = extensionOf(e.name);
      const st = FileSystem.stat(path);
      if (st.ok) f.bytes += st.size;
      if (AUDIO.includes(ext)) {
        audio++;
        f.byExtension.set(ext, (f.byExtension.has(ext) ? f.byExtension.get(ext) : 0) + 1);
      } else if (ext == "lrc") f.lyricsFiles++;
      if (isCover(e.name)) cover = true;
    }
    f.audioFiles += audio;
    if (audio > 0 && !cover) {
      f.withoutCoverCount++;
      if (f.withoutCover.length < MAX_LISTED) f.withoutCover.push(dir == root ? "." : dir.substring(root.length + 1));
    }
  }
  f.withoutCover.sort();
  return f;
}

function reportJSON(libraryId: i32, name: string, f: Findings): string {
  const w = new JSONWriter().beginObject().int("libraryId", libraryId).string("name", name).int("analysedAt", Time.nowSeconds());
  w.int("folders", f.folders).int("files", f.files).int("audioFiles", f.audioFiles).int("bytes", f.bytes).int("lyricsFiles", f.lyricsFiles);
  w.beginObject("byExtension");
  const exts = f.byExtension.keys().sort();
  for (let i = 0; i < exts.length; i++) w.int(exts[i], f.byExtension.get(exts[i]));
  w.endObject().int("foldersWithoutCover", f.withoutCoverCount).strings("foldersWithoutCoverSample", f.withoutCover);
  w.optStrings("unreadable", f.unreadable);
  return w.endObject().toString();
}

function reportPath(libraryId: i32): string {
  return Storage.path().value + "/report-" + libraryId.toString() + ".json";
}

class Start extends Lifecycle {
  onInit(): void {
    const config = new QueueConfig();
    config.concurrency = 2;
    config.maxRetries = 1;
    const created = TaskQueue.create(QUEUE, config);
    if (!created.ok) {
      fail("creating the task queue: " + created.error!);
      return;
    }
    TaskQueue.clear(QUEUE); // a restart queues everything again
    const libs = Library.all();
    if (!libs.check("listing libraries")) return;
    for (let i = 0; i < libs.libraries.length; i++) {
      const l = libs.libraries[i];
      if (l.mountPoint.length == 0) continue;
      const payload = new JSONWriter().beginObject().int("libraryId", l.id).string("name", l.name).string("mount", l.mountPoint).endObject().toString();
      const task = TaskQueue.enqueueText(QUEUE, payload);
      if (task.ok) Log.info("queued analysis of library " + l.id.toString() + " (" + l.name + ") as task " + task.value);
      else Log.error("cannot queue library " + l.id.toString() + ": " + task.error!);
    }
  }
}

class Analyser extends TaskWorker {
  execute(req: TaskExecuteRequest): string | null {
    const job = parseJSON(req.payloadText());
    if (job === null) return fail<string | null>("task payload is not JSON: " + req.payloadText());
    const id = job.getI32("libraryId");
    const name = job.getString("name");
    const found = analyse(job.getString("mount"));
    const saved = FileSystem.writeText(reportPath(id), reportJSON(id, name, found));
    if (!saved.check("saving the report")) return null;
    const summary = "library " + id.toString() + " (" + name + "): " + found.audioFiles.toString() + " audio files in " + found.folders.toString() + " folders, " + found.withoutCoverCount.toString() + " without cover art";
    Log.info(summary);
    return summary;
  }
}

registerLifecycle(new Start());
registerTaskWorker(new Analyser());

/** Custom export: `{"libraryId": n}` answers that library's report; `{}` answers `{"reports": […]}`. */
export function library_report(): i32 {
  const req = readRequest();
  if (req === null) return FAILED;
  const id = req.getI32("libraryId");
  if (id > 0) {
    const text = FileSystem.readText(reportPath(id));
    if (!text.ok) {
      fail("no report for library " + id.toString() + " yet (" + text.error! + ")");
      return respondEmpty();
    }
    return respondJSON(text.value);
  }
  const w = new JSONWriter().beginObject().beginArray("reports");
  const listing = FileSystem.readDir(Storage.path().value);
  const names = new Array<string>(0);
  for (let i = 0; i < listing.entries.length; i++) if (listing.entries[i].name.startsWith("report-")) names.push(listing.entries[i].name);
  names.sort();
  for (let i = 0; i < names.length; i++) {
    const text = FileSystem.readText(Storage.path().value + "/" + names[i]);
    if (text.ok) w.rawValue(text.value);
  }
  return respondJSON(w.endArray().endObject().toString());
}
