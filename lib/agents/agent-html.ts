// The one sanitiser for HTML that metadata agents (untrusted wasm plugins) hand us: artist
// biographies and album notes. Subsonic clients and web UIs render these as HTML, so they are
// rebuilt from an allow-list rather than filtered with patterns: the input is tokenised the way
// an HTML parser does (quoted/unquoted/empty attributes, comments, raw-text elements, EOF inside
// a tag), and the output is *re-serialised* from the tokens we keep. Whatever the tokeniser
// misreads can only ever come out as escaped text or as one of the canonical tags below.
//
// The allowed set is the formatting subset of bluemonday's UGC policy (what Navidrome uses),
// without attributes, plus links to http(s)/mailto opening in a new tab. Navidrome then calls
// html.UnescapeString on bluemonday's output, which turns `&lt;script&gt;` text back into a tag;
// we deliberately do not.

/** Formatting tags kept (attributes dropped). */
const KEPT = new Set(["b", "strong", "i", "em", "u", "s", "small", "sub", "sup", "br", "p", "blockquote", "ul", "ol", "li", "code", "cite", "q"]);
const VOID = new Set(["br"]);
/** Deeper nesting is flattened (tags dropped, text kept): keeps closing tags linear in the input. */
const MAX_DEPTH = 64;
/** Elements whose content the browser does not parse as markup: skipped to their end tag. */
const RAW_TEXT = new Set(["script", "style", "iframe", "noembed", "noframes", "noscript", "xmp", "textarea", "title"]);
/** Elements dropped with everything inside them (their content is markup, so nesting is counted). */
const DROP_SUBTREE = new Set(["svg", "math", "template", "object", "applet", "select", "head"]);
const LINK_OPEN = (href: string) => `<a href="${escapeAttr(href)}" target="_blank" rel="noopener noreferrer nofollow">`;
const LINK_SCHEMES = new Set(["http:", "https:", "mailto:"]);

/** Named references decoded inside href values; enough for real URLs and the cheat-sheet tricks. */
const NAMED: Record<string, string> = {
  amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0", colon: ":", tab: "\t", newline: "\n",
  sol: "/", period: ".", comma: ",", lpar: "(", rpar: ")", num: "#", excl: "!", quest: "?", equals: "=",
  percnt: "%", commat: "@", plus: "+", semi: ";", dollar: "$", lowbar: "_", hyphen: "-", dash: "-",
};

interface Tag {
  name: string;
  end: boolean;
  attrs: Map<string, string>;
  /** Index just past the closing `>`. */
  next: number;
}

function escapeText(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** A character reference's code point, or null when it would not be a valid character. */
function codePoint(n: number): string | null {
  if (!Number.isFinite(n) || n <= 0 || n > 0x10ffff || (n >= 0xd800 && n <= 0xdfff)) return null;
  return String.fromCodePoint(n);
}

/** Text: well-formed character references pass through untouched; anything else is escaped. */
function cleanText(s: string): string {
  let out = "";
  const re = /&(#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]{0,31};)?/g;
  let last = 0;
  for (const m of s.matchAll(re)) {
    out += escapeText(s.slice(last, m.index));
    const ref = m[1];
    const numeric = ref?.startsWith("#") ? codePoint(ref[1] === "x" || ref[1] === "X" ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10)) : "";
    out += ref && numeric !== null ? `&${ref}` : "&amp;";
    last = m.index + m[0].length;
  }
  return out + escapeText(s.slice(last));
}

/** Decodes character references in an attribute value, as a browser does before using it. */
function decodeAttr(v: string): string {
  return v.replace(/&(#[xX]([0-9a-fA-F]+);?|#([0-9]+);?|([A-Za-z][A-Za-z0-9]*);)/g, (all, _r, hex?: string, dec?: string, name?: string) => {
    if (hex !== undefined || dec !== undefined) return codePoint(hex !== undefined ? parseInt(hex, 16) : parseInt(dec!, 10)) ?? "\ufffd";
    return NAMED[name!.toLowerCase()] ?? all;
  });
}

/**
 * An agent-provided link target we are willing to emit: entity-decoded, tabs/newlines removed
 * and C0 controls/spaces trimmed (as the URL parser does), absolute, and http(s) or mailto.
 * Answers the URL as *we* parsed and serialised it, so the browser gets exactly what was checked.
 */
function allowedHref(raw: string, schemes: Set<string>): string {
  const cleaned = decodeAttr(raw).replace(/[\t\n\r]/g, "").replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, "");
  let url: URL;
  try {
    url = new URL(cleaned);
  } catch {
    return "";
  }
  // http(s) serialisation percent-encodes these; an opaque mailto path keeps them, and no real
  // address needs them, so they are refused rather than carried into an attribute.
  return schemes.has(url.protocol) && !/[\s"<>`\\]/.test(url.href) ? url.href : "";
}

/**
 * A URL an agent answered as a page link (Subsonic `lastFmUrl`), or "" when it is not an
 * absolute http(s) URL: clients render it as a link, so `javascript:` must not reach them.
 */
export function safeLinkUrl(url: string): string {
  return allowedHref(url, new Set(["http:", "https:"]));
}

/**
 * Reads the tag starting at `s[at] === "<"` (followed by a letter, or `/` and a letter) the way
 * the HTML tokeniser does; null when the input ends inside it (the browser then drops it too).
 */
function readTag(s: string, at: number): Tag | null {
  let i = at + 1;
  const end = s[i] === "/";
  if (end) i++;
  let name = "";
  while (i < s.length && !/[\t\n\f\r />]/.test(s[i])) name += s[i++];
  const attrs = new Map<string, string>();
  for (;;) {
    while (i < s.length && /[\t\n\f\r /]/.test(s[i])) i++;
    if (i >= s.length) return null;
    if (s[i] === ">") return { name: name.toLowerCase(), end, attrs, next: i + 1 };
    // Attribute name: its first character may be anything (even `=`), then up to a separator.
    let attr = s[i++];
    while (i < s.length && !/[\t\n\f\r />=]/.test(s[i])) attr += s[i++];
    while (i < s.length && /[\t\n\f\r ]/.test(s[i])) i++;
    let value = "";
    if (s[i] === "=") {
      i++;
      while (i < s.length && /[\t\n\f\r ]/.test(s[i])) i++;
      const q = s[i];
      if (q === '"' || q === "'") {
        const close = s.indexOf(q, i + 1);
        if (close < 0) return null;
        value = s.slice(i + 1, close);
        i = close + 1;
      } else {
        while (i < s.length && !/[\t\n\f\r >]/.test(s[i])) value += s[i++];
      }
    }
    attr = attr.toLowerCase();
    if (!attrs.has(attr)) attrs.set(attr, value); // the first of duplicate attributes wins, as in browsers
  }
}

/** Index just past the end tag `</name` (case-insensitive, then a separator); s.length when absent. */
function skipRawText(s: string, from: number, name: string): number {
  const re = new RegExp(`</${name}(?=[\\t\\n\\f\\r />])`, "gi");
  re.lastIndex = from;
  const m = re.exec(s);
  if (!m) return s.length;
  const tag = readTag(s, m.index);
  return tag ? tag.next : s.length;
}

/**
 * Agent HTML made safe to render: kept formatting tags without attributes, links only to
 * http(s)/mailto (rebuilt with target="_blank" and rel="noopener noreferrer nofollow"), every
 * other tag reduced to its text, the content of script/style/svg/math/iframe/… dropped, comments
 * dropped, text escaped, tags balanced, and on one line (as Navidrome stores biographies).
 * Idempotent, linear in the input.
 */
export function sanitiseAgentHtml(input: string): string {
  const s = input.replace(/\r?\n|\r/g, " ").replace(/\u0000/g, "\ufffd");
  let out = "";
  let text = "";
  const open: string[] = [];
  let dropDepth = 0;
  let dropping = "";
  const flush = () => {
    if (!dropDepth) out += cleanText(text);
    text = "";
  };
  let i = 0;
  while (i < s.length) {
    const lt = s.indexOf("<", i);
    if (lt < 0) {
      text += s.slice(i);
      break;
    }
    text += s.slice(i, lt);
    const c = s[lt + 1] ?? "";
    if (s.startsWith("<!--", lt)) {
      // Comments end at -->, --!> or, when abrupt, right away at <!--> / <!--->.
      if (s.startsWith("<!-->", lt) || s.startsWith("<!--->", lt)) {
        i = lt + (s[lt + 4] === ">" ? 5 : 6);
        continue;
      }
      const re = /--!?>/g;
      re.lastIndex = lt + 4;
      const m = re.exec(s);
      i = m ? m.index + m[0].length : s.length;
      continue;
    }
    if (c === "!" || c === "?" || (c === "/" && !/[A-Za-z]/.test(s[lt + 2] ?? "") && s[lt + 2] !== ">")) {
      // Bogus comment (doctype, CDATA outside foreign content, processing instruction, `</1`).
      const gt = s.indexOf(">", lt);
      i = gt < 0 ? s.length : gt + 1;
      continue;
    }
    if (c === "/" && s[lt + 2] === ">") {
      i = lt + 3; // `</>` is ignored
      continue;
    }
    if (!/[A-Za-z]/.test(c) && c !== "/") {
      text += "<"; // not a tag: a literal less-than
      i = lt + 1;
      continue;
    }
    const tag = readTag(s, lt);
    if (!tag) break; // EOF inside a tag: dropped, as the browser does
    i = tag.next;
    if (dropDepth) {
      text = "";
      if (tag.name === dropping) dropDepth += tag.end ? -1 : 1;
      continue;
    }
    flush();
    if (!tag.end && RAW_TEXT.has(tag.name)) {
      i = skipRawText(s, i, tag.name);
      continue;
    }
    if (!tag.end && tag.name === "plaintext") break;
    if (!tag.end && DROP_SUBTREE.has(tag.name)) {
      dropping = tag.name;
      dropDepth = 1;
      continue;
    }
    if (tag.name === "a") {
      if (!tag.end) {
        const href = tag.attrs.has("href") && !open.includes("a") && open.length < MAX_DEPTH ? allowedHref(tag.attrs.get("href")!, LINK_SCHEMES) : "";
        if (href) {
          out += LINK_OPEN(href);
          open.push("a");
        }
      } else closeTo("a");
      continue;
    }
    if (!KEPT.has(tag.name)) continue; // any other tag: dropped, its text kept
    if (tag.end) closeTo(tag.name);
    else if (VOID.has(tag.name)) out += `<${tag.name}>`;
    else if (open.length < MAX_DEPTH) {
      out += `<${tag.name}>`;
      open.push(tag.name);
    }
  }
  flush();
  while (open.length) out += `</${open.pop()}>`;
  return out.trim();

  function closeTo(name: string): void {
    if (VOID.has(name) || !open.includes(name)) return;
    while (open.length) {
      const top = open.pop()!;
      out += `</${top}>`;
      if (top === name) return;
    }
  }
}
