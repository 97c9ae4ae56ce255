/** Structured lyrics as OpenSubsonic `songLyrics` returns them. */
export interface StructuredLyrics {
  lang: string;
  synced: boolean;
  /** Milliseconds added to every line's start (LRC `[offset:]`). */
  offset?: number;
  displayArtist?: string;
  displayTitle?: string;
  line: { start?: number; value: string }[];
}

const TIMESTAMP = /\[(\d{1,3}):(\d{1,2})(?:[.:](\d{1,3}))?\]/g;
const STARTS_WITH_TIMESTAMP = /^\s*\[\d{1,3}:\d{1,2}(?:[.:]\d{1,3})?\]/m;

/** True when any line starts with an `[mm:ss(.xxx)]` timestamp (contract §3.3). */
export function isLrc(text: string): boolean {
  return STARTS_WITH_TIMESTAMP.test(text);
}

function ms(m: string, s: string, frac: string | undefined): number {
  const f = frac ? Number(frac.padEnd(3, "0").slice(0, 3)) : 0;
  return (Number(m) * 60 + Number(s)) * 1000 + f;
}

/**
 * Parses lyrics text: LRC (timestamps, several per line allowed, `[ar:]`, `[ti:]`,
 * `[offset:]`, `[lang:]` tags) into synced lines sorted by time, anything else into
 * plain lines. Empty results are null (the caller drops them).
 */
export function parseLyrics(text: string, lang: string): StructuredLyrics | null {
  const result: StructuredLyrics = { lang: lang || "xxx", synced: false, line: [] };
  if (isLrc(text)) {
    result.synced = true;
    for (const raw of text.split(/\r?\n/)) {
      const tag = /^\s*\[(ar|ti|offset|lang):([^\]]*)\]\s*$/i.exec(raw);
      if (tag) {
        const [, key, value] = tag;
        if (key.toLowerCase() === "ar") result.displayArtist = value.trim();
        else if (key.toLowerCase() === "ti") result.displayTitle = value.trim();
        else if (key.toLowerCase() === "offset" && /^\s*[+-]?\d+\s*$/.test(value)) result.offset = Number(value);
        else if (key.toLowerCase() === "lang" && !lang) result.lang = value.trim() || "xxx";
        continue;
      }
      const stamps = [...raw.matchAll(TIMESTAMP)];
      if (stamps.length === 0 || raw.trimStart().indexOf("[") !== 0) continue;
      const value = raw.replace(TIMESTAMP, "").trim();
      for (const st of stamps) result.line.push({ start: ms(st[1], st[2], st[3]), value });
    }
    result.line.sort((a, b) => (a.start ?? 0) - (b.start ?? 0));
  } else {
    result.line = text.split(/\r?\n/).map((value) => ({ value }));
    while (result.line.length && result.line[result.line.length - 1].value.trim() === "") result.line.pop();
  }
  return result.line.some((l) => l.value.trim() !== "") ? result : null;
}
