import { XMLParser, XMLValidator } from "fast-xml-parser";
import { badRequest, tooLarge } from "./errors.ts";

export interface XmlLimits {
  /** Characters of XML text. Default 64 Mi (the decompression limit). */
  maxChars: number;
  /** Element nesting. Agents' messages are 4 or 5 deep. Default 32. */
  maxDepth: number;
}

export const DEFAULT_XML_LIMITS: Readonly<XmlLimits> = Object.freeze({
  maxChars: 64 * 1024 * 1024,
  maxDepth: 32,
});

/** An element: text, or child elements by name (an array when the name repeats). */
export type XmlValue = string | XmlNode | XmlValue[];
export interface XmlNode {
  [name: string]: XmlValue;
}

const BUILT_IN: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };
const REFERENCE = /&(?:(lt|gt|amp|quot|apos)|#([0-9]{1,7})|#x([0-9a-fA-F]{1,6}));/g;
const ANY_REFERENCE = /&([^;&<>\s]{0,40});/g;

/**
 * Replaces the five predefined XML entities and character references, in one
 * pass (`&amp;lt;` stays `&lt;`). Nothing else is ever expanded.
 */
export function decodeXmlReferences(text: string): string {
  if (!text.includes("&")) return text;
  return text.replace(
    REFERENCE,
    (whole, name: string | undefined, dec: string | undefined, hex: string | undefined) => {
      if (name) return BUILT_IN[name] ?? whole;
      const code = dec !== undefined ? Number.parseInt(dec, 10) : Number.parseInt(hex ?? "", 16);
      if (!isXmlChar(code)) return "\uFFFD";
      return String.fromCodePoint(code);
    },
  );
}

function isXmlChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

/**
 * Parses an agent's XML message safely:
 * - any markup declaration (`<!DOCTYPE`, `<!ENTITY`, `<!ELEMENT`…) is refused
 *   outright, so there is no internal entity expansion (billion laughs) and no
 *   external entity or DTD is ever fetched (XXE);
 * - a reference to any entity but the five predefined ones is refused;
 * - size and nesting depth are bounded;
 * - values stay strings (no number guessing: serial "0123" stays "0123"),
 *   attributes are ignored (agents do not use them).
 *
 * Throws `InventoryError` 400 (malformed, refused construct) or 413 (limits).
 */
export function parseXml(text: string, limits: Partial<XmlLimits> = {}): XmlNode {
  const { maxChars, maxDepth } = { ...DEFAULT_XML_LIMITS, ...limits };
  if (text.length > maxChars) throw tooLarge(`The XML document is longer than ${maxChars} characters`);

  const declaration = /<!(?!--|\[CDATA\[)\s*([A-Za-z]*)/.exec(text);
  if (declaration) {
    throw badRequest(
      `XML markup declarations (<!${declaration[1] || ""}…>) are not accepted: no DOCTYPE, DTD or entity declarations`,
    );
  }
  const outsideCdata = text.includes("<![CDATA[") ? text.replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, "") : text;
  for (const match of outsideCdata.matchAll(ANY_REFERENCE)) {
    const ref = match[1] ?? "";
    if (!/^(lt|gt|amp|quot|apos|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6})$/.test(ref)) {
      throw badRequest(`The XML document refers to an undeclared entity (&${ref.slice(0, 40)};)`);
    }
  }

  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw badRequest(`The XML document is not well-formed: ${valid.err.msg} (line ${valid.err.line})`);
  }

  const parser = new XMLParser({
    ignoreAttributes: true,
    ignoreDeclaration: true,
    ignorePiTags: true,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    processEntities: false,
    htmlEntities: false,
    maxNestedTags: maxDepth,
    // Entities are off in the parser; the five predefined ones and character
    // references are decoded here, on text only.
    tagValueProcessor: (_name, value) => decodeXmlReferences(value),
  });
  let parsed: unknown;
  try {
    parsed = parser.parse(text);
  } catch (error) {
    const message = (error as Error).message ?? String(error);
    if (/nested/i.test(message)) throw tooLarge(`The XML document is nested deeper than ${maxDepth} elements`);
    throw badRequest(`The XML document could not be parsed: ${message}`);
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw badRequest("The XML document has no root element");
  }
  return parsed as XmlNode;
}
