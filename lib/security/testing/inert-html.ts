// An independent, deliberately strict check of what the agent-HTML sanitiser
// (lib/agents/agent-html.ts) may emit. It shares no code with the sanitiser: if the sanitiser's
// tokeniser has a blind spot, this check still sees the raw output a browser would get.

/** The only plain (attribute-less) tags the sanitiser may emit. */
const PLAIN_TAGS = new Set(["b", "strong", "i", "em", "u", "s", "small", "sub", "sup", "br", "p", "blockquote", "ul", "ol", "li", "code", "cite", "q"]);
const LINK_RE = /^<a href="([^"<>\s]*)" target="_blank" rel="noopener noreferrer nofollow">$/;
const DANGER_IN_TAG = /\bon[a-z]+\s*=|srcdoc|javascript:|vbscript:|data:|style\s*=/i;
const DANGER_ANYWHERE = /<\s*\/?\s*(script|svg|math|iframe|style|object|embed|img|form|base|meta|link|body|frame|template|noscript|textarea)/i;

function decodeAttr(v: string): string {
  return v.replace(/&(amp|quot|lt|gt|#39);/g, (_, e: string) => ({ amp: "&", quot: '"', lt: "<", gt: ">", "#39": "'" })[e]!);
}

/**
 * Everything wrong with `html` as sanitiser output (empty when it is inert): any tag that is not
 * one of the canonical allowed forms, any link that is not http(s)/mailto, unbalanced or nested
 * links, raw `&` that is not an entity, line breaks, and the executable constructs of the XSS
 * cheat-sheet classes (event handlers, script URLs, script/svg/iframe/style/object/embed, srcdoc).
 */
export function inertProblems(html: string): string[] {
  const problems: string[] = [];
  if (DANGER_ANYWHERE.test(html)) problems.push(`dangerous markup: ${html.match(DANGER_ANYWHERE)![0]}`);
  if (/[\r\n]/.test(html)) problems.push("line break in output");
  const open: string[] = [];
  let i = 0;
  while (i < html.length) {
    const lt = html.indexOf("<", i);
    const text = html.slice(i, lt < 0 ? html.length : lt);
    if (text.includes(">")) problems.push(`raw > in text: ${JSON.stringify(text)}`);
    for (const m of text.matchAll(/&[^;&\s]*;?/g)) {
      if (!/^&(#[0-9]{1,7}|#x[0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{0,31});$/.test(m[0])) problems.push(`raw & in text: ${JSON.stringify(m[0])}`);
    }
    if (lt < 0) break;
    const gt = html.indexOf(">", lt);
    if (gt < 0) {
      problems.push(`unterminated tag: ${JSON.stringify(html.slice(lt))}`);
      break;
    }
    const tag = html.slice(lt, gt + 1);
    const link = LINK_RE.exec(tag);
    // A link's only attribute value is its href, checked by scheme below (an http URL may well
    // contain the text "javascript:" in its path); any other tag must be bare.
    if (!link && DANGER_IN_TAG.test(tag)) problems.push(`dangerous attribute: ${tag}`);
    const close = /^<\/([a-z]+)>$/.exec(tag);
    const plain = /^<([a-z]+)>$/.exec(tag);
    if (link) {
      const href = decodeAttr(link[1]);
      let scheme = "";
      try {
        scheme = new URL(href).protocol;
      } catch {
        problems.push(`unparseable href: ${tag}`);
      }
      if (scheme && !["http:", "https:", "mailto:"].includes(scheme)) problems.push(`bad href scheme: ${tag}`);
      if (/[\u0000-\u001f\u007f\s]/.test(href)) problems.push(`whitespace/control in href: ${tag}`);
      if (open.includes("a")) problems.push(`nested link: ${tag}`);
      open.push("a");
    } else if (plain && PLAIN_TAGS.has(plain[1])) {
      if (plain[1] !== "br") open.push(plain[1]);
    } else if (close && (PLAIN_TAGS.has(close[1]) || close[1] === "a") && close[1] !== "br") {
      if (open.at(-1) !== close[1]) problems.push(`unbalanced close: ${tag} (open: ${open.join(",")})`);
      else open.pop();
    } else {
      problems.push(`tag not allowed: ${tag}`);
    }
    i = gt + 1;
  }
  if (open.length) problems.push(`unclosed: ${open.join(",")}`);
  return problems;
}
