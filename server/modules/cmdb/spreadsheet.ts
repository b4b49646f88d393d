import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import ExcelJS from "exceljs";
import { Invalid } from "../../platform/errors.ts";

/** One data row of an uploaded sheet: its line (as the person sees it in their editor) and its cells by column. */
export interface SheetRow {
  line: number;
  cells: Record<string, string>;
}

export interface Sheet {
  columns: string[];
  rows: SheetRow[];
}

export const MAX_IMPORT_ROWS = 100_000;

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === "object") {
    if ("result" in value) return cellText(value.result as ExcelJS.CellValue);
    if ("text" in value) return String(value.text);
    if ("richText" in value) return value.richText.map((r) => r.text).join("");
    return "";
  }
  return String(value);
}

function checkColumns(columns: string[]): string[] {
  const names = columns.map((c) => c.trim());
  if (names.length === 0 || names.every((c) => c === "")) {
    throw new Invalid([{ field: "file", message: "the first row must name the columns" }]);
  }
  const seen = new Set<string>();
  for (const n of names) {
    if (n && seen.has(n.toLowerCase())) throw new Invalid([{ field: "file", message: `column "${n}" appears twice` }]);
    seen.add(n.toLowerCase());
  }
  return names;
}

function readCsv(buffer: Buffer): Sheet {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(buffer);
  } catch {
    throw new Invalid([{ field: "file", message: "not UTF-8 text: save the file as CSV UTF-8" }]);
  }
  if (text.startsWith("\uFEFF")) text = text.slice(1);
  const first = text.split(/\r?\n/, 1)[0] ?? "";
  const delimiter = (first.match(/;/g)?.length ?? 0) > (first.match(/,/g)?.length ?? 0) ? ";" : ",";
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      delimiter,
      relax_column_count: true,
      skip_empty_lines: true,
      info: true,
      bom: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (e) {
    throw new Invalid([{ field: "file", message: `not readable as CSV: ${(e as Error).message}` }]);
  }
  const [header, ...data] = records;
  if (!header) throw new Invalid([{ field: "file", message: "the file is empty" }]);
  const columns = checkColumns(header.record);
  if (data.length > MAX_IMPORT_ROWS) {
    throw new Invalid([{ field: "file", message: `at most ${MAX_IMPORT_ROWS} rows per import` }]);
  }
  return {
    columns,
    rows: data.map((r) => ({
      line: r.info.lines,
      cells: Object.fromEntries(columns.map((c, i) => [c, (r.record[i] ?? "").trim()])),
    })),
  };
}

async function readXlsx(buffer: Buffer): Promise<Sheet> {
  const book = new ExcelJS.Workbook();
  try {
    await book.xlsx.load(buffer as unknown as ArrayBuffer);
  } catch {
    throw new Invalid([{ field: "file", message: "not a readable XLSX workbook" }]);
  }
  const sheet = book.worksheets[0];
  if (!sheet || sheet.rowCount === 0) throw new Invalid([{ field: "file", message: "the workbook has no rows" }]);
  if (sheet.rowCount > MAX_IMPORT_ROWS + 1) {
    throw new Invalid([{ field: "file", message: `at most ${MAX_IMPORT_ROWS} rows per import` }]);
  }
  const headerRow = sheet.getRow(1);
  const header: string[] = [];
  for (let c = 1; c <= headerRow.cellCount; c++) header.push(cellText(headerRow.getCell(c).value));
  const columns = checkColumns(header);
  const rows: SheetRow[] = [];
  for (let r = 2; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    const cells = Object.fromEntries(columns.map((c, i) => [c, cellText(row.getCell(i + 1).value).trim()]));
    if (Object.values(cells).every((v) => v === "")) continue;
    rows.push({ line: r, cells });
  }
  return { columns, rows };
}

const ZIP = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

/** Reads CSV (UTF-8, comma or semicolon) or XLSX (the first sheet), told apart by content. */
export async function readSheet(buffer: Buffer): Promise<Sheet> {
  return buffer.subarray(0, 4).equals(ZIP) ? readXlsx(buffer) : readCsv(buffer);
}

export function writeCsv(columns: string[], rows: string[][]): Buffer {
  return Buffer.from(`\uFEFF${stringify([columns, ...rows])}`, "utf8");
}

export async function writeXlsx(sheetName: string, columns: string[], rows: string[][]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet(sheetName.slice(0, 31).replace(/[\\/?*[\]:]/g, " ") || "CIs");
  sheet.addRow(columns).font = { bold: true };
  for (const r of rows) sheet.addRow(r);
  sheet.columns.forEach((col) => {
    col.width = 18;
  });
  return Buffer.from(await book.xlsx.writeBuffer());
}
