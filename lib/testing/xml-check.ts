/**
 * Minimal XML checks for tests (no XML library is installed): well-formedness of the
 * documents the Subsonic API renders, and attribute lookup by element name.
 */

const NAME = "[A-Za-z_][\\w.:-]*";
const ATTRS = new RegExp(`^(\\s+${NAME}="[^"<]*")*\\s*$`);
const BAD_ENTITY = /&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/;
/** Characters XML 1.0 forbids anywhere in a document (§2.2 Char). */
const FORBIDDEN_CHAR = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Throws unless `xml` is one well-formed element (after an optional declaration); returns the root name. */
export function assertWellFormedXml(xml: string): string {
  const bad = xml.match(FORBIDDEN_CHAR);
  if (bad) throw new Error(`character U+${bad[0].charCodeAt(0).toString(16).padStart(4, "0")} is not allowed in XML 1.0`);
  const body = xml.replace(/^<\?xml[^?]*\?>\s*/, "");
  const stack: string[] = [];
  let root = "";
  for (const [token] of body.matchAll(/<[^>]*>|[^<]+/g)) {
    if (!token.startsWith("<")) {
      if (!stack.length && token.trim()) throw new Error(`text outside the root element: ${token.slice(0, 40)}`);
      if (BAD_ENTITY.test(token)) throw new Error(`bad entity in text: ${token.slice(0, 40)}`);
      continue;
    }
    const close = token.match(new RegExp(`^</(${NAME})\\s*>$`));
    if (close) {
      if (stack.pop() !== close[1]) throw new Error(`mismatched </${close[1]}>`);
      continue;
    }
    const open = token.match(new RegExp(`^<(${NAME})([^>]*?)(/?)>$`));
    if (!open) throw new Error(`malformed tag: ${token.slice(0, 60)}`);
    if (!ATTRS.test(open[2]) || BAD_ENTITY.test(open[2])) throw new Error(`malformed attributes: ${token.slice(0, 80)}`);
    const names = [...open[2].matchAll(new RegExp(`(${NAME})=`, "g"))].map((m) => m[1]);
    if (new Set(names).size !== names.length) throw new Error(`duplicate attribute: ${token.slice(0, 80)}`);
    if (!stack.length) {
      if (root) throw new Error("more than one root element");
      root = open[1];
    }
    if (!open[3]) stack.push(open[1]);
  }
  if (stack.length) throw new Error(`unclosed <${stack.pop()}>`);
  if (!root) throw new Error("no root element");
  return root;
}

const unescape = (s: string) => s.replace(/&(lt|gt|quot|apos|amp);/g, (_, e: string) => ({ lt: "<", gt: ">", quot: '"', apos: "'", amp: "&" })[e]!);

/** The attributes of every `<name …>` element, in document order. */
export function xmlElements(xml: string, name: string): Record<string, string>[] {
  return [...xml.matchAll(new RegExp(`<${name}((?:\\s+${NAME}="[^"]*")*)\\s*/?>`, "g"))].map((m) =>
    Object.fromEntries([...m[1].matchAll(new RegExp(`(${NAME})="([^"]*)"`, "g"))].map((a) => [a[1], unescape(a[2])])),
  );
}
