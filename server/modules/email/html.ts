import { createRequire } from "node:module";
import sanitizeHtml from "sanitize-html";

// The very tokenizer sanitize-html parses with (its own copy of htmlparser2), so the nesting bound below
// sees exactly the tags sanitize-html will see.
const requireFromSanitizer = createRequire(createRequire(import.meta.url).resolve("sanitize-html"));
const { Tokenizer } = requireFromSanitizer("htmlparser2") as typeof import("htmlparser2");

/**
 * Untrusted e-mail HTML → HTML that is safe to put into the agent's page as is, without relying on the
 * Content-Security-Policy: an allow-list of formatting tags, attributes whose values are checked one by
 * one, a few inline styles with strict value patterns, links only to http(s) and mailto, inline (cid:)
 * images resolved to stored attachments, and remote images blocked (the URL is kept in `data-remote-src`
 * so the UI can offer to load them).
 *
 * Everything is re-serialized from the parse tree: text and attribute values are escaped, and no raw-text
 * element (script, style, textarea, title, xmp, noscript…) can appear in the output, so the browser parses
 * the output the same way the sanitizer saw it.
 */

/**
 * Deeper elements are dropped (their text kept). Real mail nests a few dozen levels; a long Outlook reply
 * chain (table, tr, td, div, blockquote, p, span per quoted message) stays well under this. Chromium's own
 * HTML parser stops nesting at 512.
 */
const NESTING_LIMIT = 256;
/**
 * Start tags past this many are cut (their text kept): sanitize-html spends a few microseconds per
 * element, so 250,000 `<li>` in 1 MB would otherwise take over a second. A big real message (an Excel
 * range pasted into Outlook is td+p+span per cell) stays under it.
 */
const ELEMENT_LIMIT = 100_000;

const ALLOWED_TAGS = [
  "p",
  "div",
  // Obsolete but rendered by every browser; renaming it to a div would change how a second parse nests it.
  "center",
  "span",
  "br",
  "hr",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "blockquote",
  "pre",
  "code",
  "b",
  "strong",
  "i",
  "em",
  "u",
  "s",
  "strike",
  "del",
  "ins",
  "sub",
  "sup",
  "small",
  "ul",
  "ol",
  "li",
  "dl",
  "dt",
  "dd",
  "table",
  "caption",
  "colgroup",
  "col",
  "thead",
  "tbody",
  "tfoot",
  "tr",
  "th",
  "td",
  "a",
  "img",
];

/**
 * Elements dropped with everything inside them: raw-text elements, things a mail client would not show,
 * and foreign content (SVG, MathML) whose text is not mail text.
 */
const DROPPED_WITH_CONTENT = [
  "script",
  "style",
  "textarea",
  "option",
  "xmp",
  "title",
  "template",
  "noscript",
  "noembed",
  "noframes",
  "iframe",
  "object",
  "svg",
  "math",
  "xml",
];

const TABLE_CELL = ["align", "valign", "width", "height", "bgcolor", "colspan", "rowspan", "nowrap"];
const ALLOWED_ATTRIBUTES: Record<string, string[]> = {
  "*": ["style", "title", "dir"],
  a: ["href", "rel", "target"],
  img: ["src", "data-remote-src", "alt", "width", "height"],
  table: ["width", "border", "cellpadding", "cellspacing", "align", "bgcolor"],
  tr: ["align", "valign", "bgcolor"],
  td: TABLE_CELL,
  th: TABLE_CELL,
  col: ["span", "width", "align", "valign"],
  colgroup: ["span", "width", "align", "valign"],
  thead: ["align", "valign"],
  tbody: ["align", "valign"],
  tfoot: ["align", "valign"],
  p: ["align"],
  div: ["align"],
  h1: ["align"],
  h2: ["align"],
  h3: ["align"],
  h4: ["align"],
  h5: ["align"],
  h6: ["align"],
  ol: ["start", "type"],
  ul: ["type"],
  li: ["value"],
};

/** Attribute value patterns; an attribute whose value does not match is dropped. */
const COLOR =
  /^(#[0-9a-f]{3,8}|[a-z]{3,30}|rgba?\(\s*\d{1,3}%?\s*,\s*\d{1,3}%?\s*,\s*\d{1,3}%?\s*(,\s*(0|1|0?\.\d{1,3}))?\s*\))$/i;
const ATTRIBUTE_VALUES: Record<string, RegExp> = {
  title: /^[\s\S]{0,500}$/,
  alt: /^[\s\S]{0,500}$/,
  dir: /^(ltr|rtl|auto)$/i,
  align: /^(left|right|center|justify)$/i,
  valign: /^(top|middle|bottom|baseline)$/i,
  width: /^\d{1,4}(\.\d{1,2})?(%|px)?$/i,
  height: /^\d{1,4}(\.\d{1,2})?(%|px)?$/i,
  border: /^\d{1,2}$/,
  cellpadding: /^\d{1,2}$/,
  cellspacing: /^\d{1,2}$/,
  colspan: /^\d{1,3}$/,
  rowspan: /^\d{1,3}$/,
  span: /^\d{1,3}$/,
  start: /^-?\d{1,6}$/,
  value: /^-?\d{1,6}$/,
  nowrap: /^(nowrap)?$/i,
  bgcolor: COLOR,
};
const LIST_TYPES: Record<string, RegExp> = { ol: /^[1aAiI]$/, ul: /^(disc|circle|square)$/i };

const NUMBER = String.raw`(?:\d{1,4}(?:\.\d{1,4})?|\.\d{1,4})`;
const LENGTH = `(?:0|${NUMBER}(?:px|pt|em|rem|%|cm|mm|in|ex))`;
const LENGTHS = new RegExp(String.raw`^(?:${LENGTH}|auto)(?:\s+(?:${LENGTH}|auto)){0,3}$`, "i");
const CSS_COLOR = String.raw`(?:#[0-9a-f]{3,8}|[a-z]{3,30}|rgba?\(\s*\d{1,3}%?\s*,\s*\d{1,3}%?\s*,\s*\d{1,3}%?\s*(?:,\s*(?:0|1|0?\.\d{1,3}))?\s*\))`;
const BORDER_PART = `(?:${LENGTH}|thin|medium|thick|none|hidden|solid|dashed|dotted|double|groove|ridge|inset|outset|windowtext|${CSS_COLOR})`;
const BORDER = new RegExp(String.raw`^${BORDER_PART}(?:\s+${BORDER_PART}){0,2}$`, "i");

/**
 * Inline CSS: a handful of properties, each with a value pattern that cannot hold a URL, a function other
 * than rgb()/rgba(), an escape or a comment. Nothing that positions an element or takes it out of flow
 * (no position, float, display, negative margins), so a message cannot cover the application around it.
 */
const ALLOWED_STYLES: Record<string, Record<string, RegExp[]>> = {
  "*": {
    color: [new RegExp(`^${CSS_COLOR}$`, "i")],
    "background-color": [new RegExp(`^${CSS_COLOR}$`, "i")],
    // Outlook shades cells with the shorthand; only a bare colour is accepted, never an image.
    background: [new RegExp(`^${CSS_COLOR}$`, "i")],
    "font-weight": [/^(normal|bold|bolder|lighter|[1-9]00)$/i],
    "font-style": [/^(normal|italic|oblique)$/i],
    "text-decoration": [/^(none|(underline|overline|line-through)(\s+(underline|overline|line-through)){0,2})$/i],
    "text-align": [/^(left|right|center|justify|start|end)$/i],
    "font-size": [new RegExp(`^${NUMBER}(px|pt|em|%)$`, "i")],
    ...Object.fromEntries(
      ["border", "border-top", "border-right", "border-bottom", "border-left"].map((p) => [p, [BORDER]]),
    ),
    ...Object.fromEntries(
      ["padding", "padding-top", "padding-right", "padding-bottom", "padding-left"].map((p) => [p, [LENGTHS]]),
    ),
    ...Object.fromEntries(
      ["margin", "margin-top", "margin-right", "margin-bottom", "margin-left"].map((p) => [p, [LENGTHS]]),
    ),
  },
  ...Object.fromEntries(
    ["table", "td", "th", "col", "colgroup"].map((tag) => [
      tag,
      { width: [new RegExp(`^(?:${NUMBER}(?:px|pt|em|%|cm|mm|in)?|auto)$`, "i")] },
    ]),
  ),
};

/** `<font size>` 1–7 as CSS. */
const FONT_SIZES = ["10px", "13px", "16px", "18px", "24px", "32px", "48px"];

/** What the browser's URL parser strips or ignores before it reads the scheme. */
function urlOf(value: string): URL | null {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed.
  const cleaned = value.replace(/[\t\n\r]/g, "").replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, "");
  if (!/^(https?:\/\/|mailto:)/i.test(cleaned)) return null;
  try {
    return new URL(cleaned);
  } catch {
    return null;
  }
}

function isHttp(url: URL | null): boolean {
  return url !== null && (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
}

/** A URL the caller gave for an inline image: a same-origin path or an http(s) URL, nothing else. */
function isSafeInlineUrl(value: string): boolean {
  if (/^\/(?![/\\])[^\s"'<>\\]*$/.test(value)) return true;
  return isHttp(urlOf(value)) && !/[\s"'<>]/.test(value);
}

function contentIdOf(src: string): string | null {
  const match = /^\s*cid:\s*<?([^>]*?)>?\s*$/i.exec(src);
  if (!match?.[1]) return null;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return match[1];
  }
}

const ATTRIBUTES_OF = new Map(
  ALLOWED_TAGS.map((tag) => [tag, [...(ALLOWED_ATTRIBUTES["*"] ?? []), ...(ALLOWED_ATTRIBUTES[tag] ?? [])]]),
);

function keepAttributes(tag: string, attribs: sanitizeHtml.Attributes): sanitizeHtml.Attributes {
  const kept: sanitizeHtml.Attributes = {};
  const allowed = ATTRIBUTES_OF.get(tag);
  if (!allowed) return kept;
  for (const name of allowed) {
    const value = attribs[name];
    if (value === undefined || name === "href" || name === "src" || name === "data-remote-src") continue;
    if (name === "type") {
      if (LIST_TYPES[tag]?.test(value)) kept[name] = value;
      continue;
    }
    const pattern = ATTRIBUTE_VALUES[name];
    if (name === "style" || pattern?.test(value.trim())) kept[name] = name === "style" ? value : value.trim();
  }
  return kept;
}

/*
 * htmlparser2's parser keeps its open elements in an array it `unshift`s and searches with `indexOf`, so
 * 100,000 unclosed <div>s (500 kB) take seconds and "<b>"×200k + "</i>"×100k close to a minute. Before
 * sanitize-html sees the input, the tags that would open past NESTING_LIMIT are cut out of it, using the
 * same tokenizer and the same open-element rules as htmlparser2's parser, so its stack never grows past
 * the limit and every tag costs O(limit). The cut only ever removes whole tags; whatever comes out still
 * goes through the sanitizer, so this step decides nothing about safety.
 */
const VOID_ELEMENTS = new Set(
  "area base basefont br col command embed frame hr img input isindex keygen link meta param source track wbr".split(
    " ",
  ),
);
/** Tags after which the tokenizer reads raw text; cutting one would change how the rest is tokenized. */
const RAW_TEXT = new Set(["script", "style", "title", "textarea", "xmp"]);
const FOREIGN = new Set(["math", "svg"]);
const INTEGRATION = new Set(["mi", "mo", "mn", "ms", "mtext", "annotation-xml", "foreignobject", "desc", "title"]);
const FORM_TAGS = new Set(["input", "option", "optgroup", "select", "button", "datalist", "textarea"]);
const P = new Set(["p"]);
const IMPLIES_CLOSE = new Map<string, Set<string>>([
  ["tr", new Set(["tr", "th", "td"])],
  ["th", new Set(["th"])],
  ["td", new Set(["thead", "th", "td"])],
  ["body", new Set(["head", "link", "script"])],
  ["li", new Set(["li"])],
  ...["p", "h1", "h2", "h3", "h4", "h5", "h6"].map((t): [string, Set<string>] => [t, P]),
  ...["select", "input", "output", "button", "datalist", "textarea"].map((t): [string, Set<string>] => [t, FORM_TAGS]),
  ["option", new Set(["option"])],
  ["optgroup", new Set(["optgroup", "option"])],
  ["dd", new Set(["dd", "dt"])],
  ["dt", new Set(["dd", "dt"])],
  ...[
    "address",
    "article",
    "aside",
    "blockquote",
    "details",
    "div",
    "dl",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "header",
    "hr",
    "main",
    "nav",
    "ol",
    "pre",
    "section",
    "table",
    "ul",
  ].map((t): [string, Set<string>] => [t, P]),
  ["rt", new Set(["rt", "rp"])],
  ["rp", new Set(["rt", "rp"])],
  ["tbody", new Set(["thead", "tbody"])],
  ["tfoot", new Set(["thead", "tbody"])],
]);

/**
 * Cuts out of `html` every start tag that would open an element past `limit` open elements, every start
 * tag for which `keep(name)` is false, and every start tag after the first `maxElements`; end tags are left alone (with their start tag gone, the
 * parser ignores them). Raw-text start tags are never cut.
 */
export function boundNesting(
  html: string,
  limit: number,
  keep: (name: string) => boolean = () => true,
  maxElements = Number.POSITIVE_INFINITY,
): string {
  const stack: string[] = [];
  let elements = 0;
  const foreign: boolean[] = [false];
  const cuts: number[] = [];
  let name = "";
  let cutFrom = -1;
  const noop = () => {};
  const tokenizer = new Tokenizer(
    { xmlMode: false, decodeEntities: true },
    {
      onopentagname(start, end) {
        name = html.slice(start, end).toLowerCase();
        const closes = IMPLIES_CLOSE.get(name);
        let implied = 0;
        while (closes && implied < stack.length && closes.has(stack[stack.length - 1 - implied] ?? "")) implied++;
        const isVoid = VOID_ELEMENTS.has(name);
        if (
          !RAW_TEXT.has(name) &&
          (!keep(name) || elements >= maxElements || (!isVoid && stack.length - implied + 1 > limit))
        ) {
          cutFrom = start - 1;
          return;
        }
        elements++;
        cutFrom = -1;
        stack.length -= implied;
        if (isVoid) return;
        stack.push(name);
        if (FOREIGN.has(name)) foreign.push(true);
        else if (INTEGRATION.has(name)) foreign.push(false);
      },
      onopentagend(end) {
        if (cutFrom >= 0) cuts.push(cutFrom, end + 1);
      },
      onselfclosingtag(end) {
        if (cutFrom >= 0) cuts.push(cutFrom, end + 1);
        else if (foreign[foreign.length - 1] && stack[stack.length - 1] === name) stack.pop();
      },
      onclosetag(start, end) {
        const closing = html.slice(start, end).toLowerCase();
        if (FOREIGN.has(closing) || INTEGRATION.has(closing)) foreign.pop();
        if (VOID_ELEMENTS.has(closing)) return;
        const at = stack.lastIndexOf(closing);
        if (at >= 0) stack.length = at;
      },
      onattribdata: noop,
      onattribentity: noop,
      onattribend: noop,
      onattribname: noop,
      oncdata: noop,
      oncomment: noop,
      ondeclaration: noop,
      onend: noop,
      onprocessinginstruction: noop,
      ontext: noop,
      ontextentity: noop,
    },
  );
  tokenizer.write(html);
  tokenizer.end();
  if (cuts.length === 0) return html;
  const parts: string[] = [];
  let from = 0;
  for (let i = 0; i < cuts.length; i += 2) {
    parts.push(html.slice(from, cuts[i]));
    from = cuts[i + 1] ?? html.length;
  }
  parts.push(html.slice(from));
  return parts.join("");
}

/** The whole per-element policy; sanitize-html's own allow-lists below are the second line. */
function transform(inline: (contentId: string) => string | null) {
  return (tagName: string, attribs: sanitizeHtml.Attributes): sanitizeHtml.Tag => {
    const tag = tagName.toLowerCase();
    if (tag === "font") {
      const styles: string[] = [];
      if (attribs.color && COLOR.test(attribs.color.trim())) styles.push(`color:${attribs.color.trim()}`);
      const size = /^\s*([1-7])\s*$/.exec(attribs.size ?? "")?.[1];
      if (size) styles.push(`font-size:${FONT_SIZES[Number(size) - 1]}`);
      if (attribs.style) styles.push(attribs.style);
      const kept = keepAttributes("span", attribs);
      if (styles.length) kept.style = styles.join(";");
      return { tagName: "span", attribs: kept };
    }
    if (tag === "a") {
      const url = urlOf(attribs.href ?? "");
      const kept = keepAttributes("a", attribs);
      // A link anywhere else (javascript:, data:, relative, protocol-relative) becomes its text.
      if (!url || (!isHttp(url) && url.protocol !== "mailto:")) return { tagName: "span", attribs: kept };
      return {
        tagName: "a",
        attribs: { ...kept, href: url.href, rel: "noopener noreferrer nofollow", target: "_blank" },
      };
    }
    if (tag === "img") {
      const kept = keepAttributes("img", attribs);
      const src = attribs.src ?? "";
      const contentId = contentIdOf(src);
      if (contentId !== null) {
        const resolved = inline(contentId);
        if (resolved && isSafeInlineUrl(resolved)) return { tagName: "img", attribs: { ...kept, src: resolved } };
        return { tagName: "img", attribs: kept };
      }
      // A remote image would tell the sender that (and when, and from where) the message was read.
      const remote = urlOf(src.trim() ? src : (attribs["data-remote-src"] ?? ""));
      if (remote && isHttp(remote)) {
        return { tagName: "img", attribs: { ...kept, "data-remote-src": remote.href } };
      }
      return { tagName: "img", attribs: kept };
    }
    return { tagName: tag, attribs: keepAttributes(tag, attribs) };
  };
}

/** Attribute values in the output are escaped, so `>` only ends a tag. */
const REMOTE_IMAGE = /<img\b[^>]*\sdata-remote-src="/g;

/**
 * The tags sanitize-html gets to see. Any other tag (o:p, font-less wrappers, form, body…) is cut before
 * parsing rather than dropped while parsing: dropped mid-parse, a wrapper between two <li>s or <p>s hides
 * the implied end tag from htmlparser2, and the output (`<li><li></li></li>`) then parses differently the
 * next time (in a browser as well as in a second sanitizing pass).
 */
const PARSED = new Set([...ALLOWED_TAGS, ...DROPPED_WITH_CONTENT, ...RAW_TEXT, "font"]);
const isParsed = (name: string) => PARSED.has(name);

export interface SanitizedMail {
  html: string;
  /** Remote images whose `src` was removed (kept in `data-remote-src`). */
  blockedImages: number;
}

export function sanitizeMailHtml(
  html: string,
  options: { inline: (contentId: string) => string | null },
): SanitizedMail {
  const clean = sanitizeHtml(boundNesting(html, NESTING_LIMIT, isParsed, ELEMENT_LIMIT), {
    allowedTags: ALLOWED_TAGS,
    allowedAttributes: ALLOWED_ATTRIBUTES,
    allowedStyles: ALLOWED_STYLES,
    parseStyleAttributes: true,
    allowedSchemes: ["http", "https", "mailto"],
    allowedSchemesByTag: {},
    allowedSchemesAppliedToAttributes: ["href", "src", "data-remote-src"],
    allowProtocolRelative: false,
    allowVulnerableTags: false,
    disallowedTagsMode: "discard",
    nonTextTags: DROPPED_WITH_CONTENT,
    nestingLimit: NESTING_LIMIT,
    enforceHtmlBoundary: false,
    selfClosing: ["img", "br", "hr", "col"],
    transformTags: { "*": transform(options.inline) },
    // An image left with nothing to show (data:, unresolved cid:, relative) is removed. (Renaming it to a
    // disallowed tag instead would leave sanitize-html's rename map stale for the next element.)
    exclusiveFilter: (frame) => frame.tag === "img" && !frame.attribs.src && !frame.attribs["data-remote-src"],
  });
  // Counted on the output: an image the nesting limit dropped is not shown, so not blocked either.
  return { html: clean, blockedImages: clean.match(REMOTE_IMAGE)?.length ?? 0 };
}

const BLOCK = new Set(
  "p div br hr li dt dd tr td th h1 h2 h3 h4 h5 h6 blockquote pre table caption ul ol dl center address".split(" "),
);

/**
 * Plain text of mail HTML, for search and previews: the text between tags with entities decoded, block
 * boundaries as spaces, whitespace collapsed. Meant for sanitizeMailHtml's output; on raw HTML it skips the
 * content of raw-text elements (script, style, title, textarea, xmp) and keeps all other text.
 * (`textOf` from platform/html.ts runs a whole sanitize-html pass; this is a single linear tokenizer pass.)
 */
export function mailText(html: string): string {
  const parts: string[] = [];
  let name = "";
  let rawText = false;
  const boundary = (tag: string) => {
    if (BLOCK.has(tag)) parts.push(" ");
  };
  const noop = () => {};
  const tokenizer = new Tokenizer(
    { xmlMode: false, decodeEntities: true },
    {
      onopentagname(start, end) {
        name = html.slice(start, end).toLowerCase();
        boundary(name);
      },
      onopentagend() {
        rawText = RAW_TEXT.has(name);
      },
      onselfclosingtag: noop,
      onclosetag(start, end) {
        rawText = false;
        boundary(html.slice(start, end).toLowerCase());
      },
      ontext(start, end) {
        if (!rawText) parts.push(html.slice(start, end));
      },
      ontextentity(codepoint) {
        if (!rawText) parts.push(String.fromCodePoint(codepoint));
      },
      onattribdata: noop,
      onattribentity: noop,
      onattribend: noop,
      onattribname: noop,
      oncdata: noop,
      oncomment: noop,
      ondeclaration: noop,
      onend: noop,
      onprocessinginstruction: noop,
    },
  );
  tokenizer.write(html);
  tokenizer.end();
  return parts.join("").replace(/\s+/g, " ").trim();
}
