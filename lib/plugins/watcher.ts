import { watch, type FSWatcher } from "node:fs";

/**
 * Auto-reload watcher (contract §5.9): per plugin file a debounce timer, restarted on
 * every event; when it fires the callback looks at the file as it is now (event types
 * are ignored, so atomic-rename writes behave like plain writes).
 */
export function watchPluginsFolder(folder: string, onSettled: (fileName: string) => void, debounceMs = 2000): () => void {
  const timers = new Map<string, NodeJS.Timeout>();
  let watcher: FSWatcher | null = watch(folder, { persistent: false }, (_event, name) => {
    const file = name?.toString();
    if (!file || !file.endsWith(".ndp")) return;
    clearTimeout(timers.get(file));
    timers.set(
      file,
      setTimeout(() => {
        timers.delete(file);
        onSettled(file);
      }, debounceMs),
    );
  });
  watcher.on("error", () => undefined); // a removed folder must not crash the server; rescans report it
  return () => {
    for (const t of timers.values()) clearTimeout(t);
    timers.clear();
    watcher?.close();
    watcher = null;
  };
}
