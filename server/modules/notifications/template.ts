import { textToHtml } from "../../platform/html.ts";
import type { TemplateData } from "./rules.ts";

/**
 * The template language: text with `{{scope.name}}` placeholders and nothing else (no logic, no
 * code, no loops), so rendering is one linear pass. Values are text; in the HTML version they are
 * escaped, and line breaks become `<br>`.
 */
const PLACEHOLDER = /\{\{\s*([a-zA-Z]+)\.([a-zA-Z]+)\s*\}\}/g;
const ANY_BRACES = /\{\{([^}]*)\}\}/g;
const MAX_VALUE = 4000;

/** The placeholders a template names that the data does not offer, or malformed ones. */
export function unknownPlaceholders(template: string, variables: readonly string[]): string[] {
  const bad: string[] = [];
  for (const m of template.matchAll(ANY_BRACES)) {
    const name = (m[1] ?? "").trim();
    if (!variables.includes(name) && !bad.includes(name)) bad.push(name);
  }
  return bad;
}

function fill(template: string, data: TemplateData, encode: (s: string) => string): string {
  return template.replace(PLACEHOLDER, (_m, scope: string, name: string) => {
    const value = data[scope]?.[name] ?? "";
    return encode(value.slice(0, MAX_VALUE));
  });
}

export function renderSubject(template: string, data: TemplateData): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: a subject is one line
  return fill(template, data, (s) => s.replace(/[\u0000-\u001f\u007f]+/g, " ")).slice(0, 300);
}

export function renderText(template: string, data: TemplateData): string {
  return fill(template, data, (s) => s);
}

/** The HTML version: the text escaped, paragraphs and line breaks kept, links made clickable. */
export function renderHtml(template: string, data: TemplateData): string {
  return textToHtml(renderText(template, data), { links: true });
}
