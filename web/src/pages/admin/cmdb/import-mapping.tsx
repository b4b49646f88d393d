import { Badge, MultiSelect, Paper, Select, Stack, Table, Text, Title } from "@mantine/core";
import { IconArrowRight } from "@tabler/icons-react";
import type { AttributeDefinition } from "../../../api/cmdb.ts";

/** The fields every class has, as the import names them. */
export const CORE_FIELDS = [
  { value: "name", label: "Name" },
  { value: "deploymentState", label: "Deployment state" },
  { value: "incidentState", label: "Incident state" },
  { value: "organization", label: "Organization" },
  { value: "group", label: "Group" },
  { value: "location", label: "Location" },
] as const;

const SKIP = "__skip__";

/** A column and the field it fills; "" skips it. */
export interface ColumnMapping {
  column: string;
  field: string;
}

const norm = (s: string) => s.toLowerCase().replace(/[\s_-]+/g, "");

/** The field a column named like a field's key or label fills, as the server guesses it. */
export function guessMapping(columns: readonly string[], attributes: readonly AttributeDefinition[]): ColumnMapping[] {
  const fields = new Map<string, string>();
  for (const f of CORE_FIELDS) {
    fields.set(norm(f.value), f.value);
    fields.set(norm(f.label), f.value);
  }
  for (const a of attributes) {
    fields.set(norm(a.key), a.key);
    fields.set(norm(a.label), a.key);
  }
  const used = new Set<string>();
  return columns.map((column) => {
    const field = fields.get(norm(column)) ?? "";
    if (!field || used.has(field)) return { column, field: "" };
    used.add(field);
    return { column, field };
  });
}

export function fieldLabel(field: string, attributes: readonly AttributeDefinition[]): string {
  return CORE_FIELDS.find((f) => f.value === field)?.label ?? attributes.find((a) => a.key === field)?.label ?? field;
}

// ---- the first row of a file, read in the browser ----

/** The first record of CSV text, split the way the server splits it (comma or semicolon, quotes). */
function csvHeader(text: string): string[] {
  const body = text.startsWith("\uFEFF") ? text.slice(1) : text;
  const first = body.split(/\r?\n/, 1)[0] ?? "";
  const delimiter = (first.match(/;/g)?.length ?? 0) > (first.match(/,/g)?.length ?? 0) ? ";" : ",";
  const cells: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"' && cell === "") quoted = true;
    else if (c === delimiter) {
      cells.push(cell);
      cell = "";
    } else if (c === "\n" || c === "\r") break;
    else cell += c;
  }
  cells.push(cell);
  return cells;
}

interface ZipEntry {
  method: number;
  size: number;
  offset: number;
}

/** The entries of a ZIP archive (an XLSX workbook) by name; null when it is not one this can read. */
function zipEntries(buffer: ArrayBuffer): Map<string, ZipEntry> | null {
  const view = new DataView(buffer);
  let end = -1;
  for (let i = view.byteLength - 22; i >= Math.max(0, view.byteLength - 65_557); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) return null;
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  const names = new TextDecoder();
  const entries = new Map<string, ZipEntry>();
  for (let n = 0; n < count && at + 46 <= view.byteLength; n++) {
    if (view.getUint32(at, true) !== 0x02014b50) return null;
    const nameLength = view.getUint16(at + 28, true);
    const name = names.decode(new Uint8Array(buffer, at + 46, nameLength));
    const local = view.getUint32(at + 42, true);
    if (local + 30 > view.byteLength) return null;
    entries.set(name, {
      method: view.getUint16(at + 10, true),
      size: view.getUint32(at + 20, true),
      offset: local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true),
    });
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return entries;
}

async function unzipText(buffer: ArrayBuffer, entry: ZipEntry | undefined): Promise<string | null> {
  if (!entry || entry.offset + entry.size > buffer.byteLength) return null;
  const bytes = new Uint8Array(buffer, entry.offset, entry.size);
  if (entry.method === 0) return new TextDecoder().decode(bytes);
  if (entry.method !== 8 || typeof DecompressionStream === "undefined") return null;
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
  return new Response(stream).text();
}

const xml = (text: string) => new DOMParser().parseFromString(text, "application/xml");
const RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/** The text of a shared or inline string item: its runs joined, phonetic hints left out. */
function itemText(item: Element): string {
  return [...item.getElementsByTagName("t")]
    .filter((t) => t.parentElement?.localName !== "rPh")
    .map((t) => t.textContent ?? "")
    .join("");
}

/** The first row of the workbook's first sheet, as the server reads it. */
async function xlsxHeader(buffer: ArrayBuffer): Promise<string[] | null> {
  const entries = zipEntries(buffer);
  if (!entries) return null;
  let sheetPath = "xl/worksheets/sheet1.xml";
  const workbook = await unzipText(buffer, entries.get("xl/workbook.xml"));
  const rels = await unzipText(buffer, entries.get("xl/_rels/workbook.xml.rels"));
  if (workbook && rels) {
    const first = xml(workbook).getElementsByTagName("sheet")[0];
    const relId = first?.getAttributeNS(RELATIONSHIPS, "id") ?? first?.getAttribute("r:id");
    const target = [...xml(rels).getElementsByTagName("Relationship")]
      .find((r) => r.getAttribute("Id") === relId)
      ?.getAttribute("Target");
    if (target) sheetPath = target.startsWith("/") ? target.slice(1) : `xl/${target}`;
  }
  const sheet = await unzipText(buffer, entries.get(sheetPath));
  if (!sheet) return null;
  const shared = await unzipText(buffer, entries.get("xl/sharedStrings.xml"));
  const strings = shared ? [...xml(shared).getElementsByTagName("si")].map(itemText) : [];
  const rows = [...xml(sheet).getElementsByTagName("row")];
  const row = rows.find((r) => r.getAttribute("r") === "1") ?? (rows[0]?.hasAttribute("r") ? undefined : rows[0]);
  if (!row) return [];
  const header: string[] = [];
  [...row.getElementsByTagName("c")].forEach((c, i) => {
    const ref = /^([A-Z]+)/.exec(c.getAttribute("r") ?? "")?.[1];
    const index = ref ? [...ref].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1 : i;
    const type = c.getAttribute("t");
    const value = c.getElementsByTagName("v")[0]?.textContent ?? "";
    const is = c.getElementsByTagName("is")[0];
    header[index] = type === "s" ? (strings[Number(value)] ?? "") : type === "inlineStr" && is ? itemText(is) : value;
  });
  return Array.from(header, (h) => (h ?? "").trim());
}

/**
 * The column names of a CSV or XLSX file, read here so the mapping can be edited even when the
 * server refuses the file's own (no column gives the name, say). Null when the file cannot be read.
 */
export async function readColumns(file: File): Promise<string[] | null> {
  try {
    const head = new Uint8Array(await file.slice(0, 4).arrayBuffer());
    if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) {
      return await xlsxHeader(await file.arrayBuffer());
    }
    const text = new TextDecoder("utf-8").decode(await file.slice(0, 1024 * 1024).arrayBuffer());
    return csvHeader(text).map((c) => c.trim());
  } catch {
    return null;
  }
}

// ---- the editor ----

export function MappingEditor(props: {
  mapping: ColumnMapping[];
  attributes: readonly AttributeDefinition[];
  identifiers: string[];
  onChange: (mapping: ColumnMapping[], identifiers: string[]) => void;
  disabled?: boolean;
}) {
  const { mapping, attributes, identifiers, onChange, disabled } = props;
  const options = [
    { value: SKIP, label: "Skip this column" },
    { group: "Every CI", items: CORE_FIELDS.map((f) => ({ value: f.value, label: f.label })) },
    ...(attributes.length
      ? [{ group: "Attributes", items: attributes.map((a) => ({ value: a.key, label: a.label })) }]
      : []),
  ];
  const mapped = mapping.filter((m) => m.field);
  const names = mapped.some((m) => m.field === "name");
  const unmapped = identifiers.filter((f) => !mapped.some((m) => m.field === f));
  /** One column per field: choosing a field another column fills makes that one skipped. */
  const setField = (column: string, field: string) => {
    const next = mapping.map((m) =>
      m.column === column ? { column, field } : field && m.field === field ? { ...m, field: "" } : m,
    );
    const still = new Set(next.map((m) => m.field).filter(Boolean));
    onChange(
      next,
      identifiers.filter((f) => still.has(f)),
    );
  };
  return (
    <Paper withBorder radius="lg" style={{ overflow: "hidden" }} component="section" aria-labelledby="import-mapping">
      <Stack gap={2} p="md" pb="xs">
        <Title order={2} fz="md" id="import-mapping">
          Columns
        </Title>
        <Text fz="sm" c="dimmed">
          Each column fills one field, or is skipped. Columns named like a field are mapped already.
        </Text>
      </Stack>
      <Table.ScrollContainer minWidth={420}>
        <Table verticalSpacing="xs" horizontalSpacing="md">
          <caption className="steward-visually-hidden">Column to field mapping</caption>
          <Table.Thead bg="var(--mantine-color-default-hover)">
            <Table.Tr>
              <Table.Th>Column in the file</Table.Th>
              <Table.Th w={32} />
              <Table.Th>Field</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {mapping.map((m) => (
              <Table.Tr key={m.column} data-column={m.column}>
                <Table.Td>
                  <Text fz="sm" fw={600} style={{ overflowWrap: "anywhere" }}>
                    {m.column}
                  </Text>
                </Table.Td>
                <Table.Td c="dimmed">
                  <IconArrowRight size={16} aria-hidden />
                </Table.Td>
                <Table.Td>
                  <Select
                    aria-label={`Field for column ${m.column}`}
                    data={options}
                    value={m.field || SKIP}
                    onChange={(v) => setField(m.column, !v || v === SKIP ? "" : String(v))}
                    allowDeselect={false}
                    disabled={disabled}
                    size="sm"
                    maw={280}
                    styles={m.field ? undefined : { input: { color: "var(--mantine-color-dimmed)" } }}
                    comboboxProps={{ withinPortal: true }}
                  />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Stack gap="xs" p="md" style={{ borderTop: "1px solid var(--mantine-color-default-border)" }}>
        <MultiSelect
          label="Identifier fields"
          description="A row whose identifiers match a CI of this class updates it; any other row creates a CI."
          placeholder={identifiers.length ? undefined : "Name (the default)"}
          data={[...new Set([...mapped.map((m) => m.field), ...identifiers])].map((f) => ({
            value: f,
            label: fieldLabel(f, attributes),
          }))}
          value={identifiers}
          onChange={(v) => onChange(mapping, v)}
          error={
            unmapped.length
              ? `No column gives ${unmapped.map((f) => fieldLabel(f, attributes)).join(", ")}: map one or remove it`
              : undefined
          }
          disabled={disabled}
          maw={520}
          comboboxProps={{ withinPortal: true }}
        />
        {!names && !identifiers.includes("name") && (
          <Badge color="orange" variant="light" tt="none" fw={500} w="fit-content">
            No column gives the name yet
          </Badge>
        )}
      </Stack>
    </Paper>
  );
}
