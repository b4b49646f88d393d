import {
  Alert,
  Anchor,
  Button,
  CloseButton,
  Container,
  FileButton,
  Grid,
  Group,
  List,
  Paper,
  Select,
  Stack,
  Stepper,
  Text,
  ThemeIcon,
  Title,
} from "@mantine/core";
import {
  IconAlertCircle,
  IconArrowLeft,
  IconArrowRight,
  IconCircleCheck,
  IconFileSpreadsheet,
  IconFileTypeCsv,
  IconFileTypeXls,
  IconInfoCircle,
  IconRefresh,
  IconTableImport,
  IconUpload,
} from "@tabler/icons-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { type DragEvent, useRef, useState } from "react";
import { isApiError } from "../../../api/client.ts";
import { cmdbKeys } from "../../../api/cmdb.ts";
import { exportUrl, type ImportReport, importCis, MAX_IMPORT_BYTES } from "../../../api/cmdb-admin.ts";
import { errorMessage, notifySuccess } from "../../../lib/notify.ts";
import { useClasses } from "../../cmdb/use-cmdb.ts";
import { PageHeader } from "../../page-header.tsx";
import { formatBytes } from "../../tickets/ticket-attachments.tsx";
import { type ColumnMapping, guessMapping, MappingEditor, readColumns } from "./import-mapping.tsx";
import { ImportCounts, RejectedRows } from "./import-report.tsx";

/** Why a file is refused before it is sent, or null when it may go. */
function refusal(file: File): string | null {
  if (!/\.(csv|xlsx|txt)$/i.test(file.name)) return `${file.name} is not a CSV or XLSX file.`;
  if (file.size === 0) return `${file.name} is empty.`;
  if (file.size > MAX_IMPORT_BYTES) {
    return `${file.name} is too large (${formatBytes(file.size)}): an import takes ${formatBytes(MAX_IMPORT_BYTES)} at most.`;
  }
  return null;
}

/** The server's field messages, in words ("mapping: a column must give the name"). */
function problemLines(error: unknown): string[] {
  if (!isApiError(error)) return [];
  return Object.entries(error.fieldErrors()).map(([field, message]) => {
    const column = /^mapping\.(.+)$/.exec(field)?.[1];
    if (column) return `Column ${column}: ${message}`;
    if (field === "mapping") return `Mapping: ${message}`;
    if (field === "identifiers") return `Identifiers: ${message}`;
    return `${field}: ${message}`;
  });
}

function FilePicker(props: { file: File | null; error: string | null; onFile: (file: File | null) => void }) {
  const [dragging, setDragging] = useState(false);
  const resetRef = useRef<() => void>(null);
  const pick = (file: File | null) => {
    resetRef.current?.();
    if (file) props.onFile(file);
  };
  const drop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    pick(event.dataTransfer.files[0] ?? null);
  };
  return (
    <Stack gap={6}>
      <Text fz="sm" fw={500} id="import-file-label">
        File{" "}
        <Text span c="red" aria-hidden>
          *
        </Text>
      </Text>
      <Paper
        radius="lg"
        p="xl"
        aria-labelledby="import-file-label"
        role="group"
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={drop}
        bg={dragging ? "var(--mantine-primary-color-light)" : "var(--mantine-color-default-hover)"}
        style={{
          border: `2px dashed ${dragging ? "var(--mantine-primary-color-filled)" : "var(--mantine-color-default-border)"}`,
        }}
      >
        {props.file ? (
          <Group gap="sm" wrap="nowrap" justify="space-between">
            <Group gap="sm" wrap="nowrap" miw={0}>
              <ThemeIcon variant="light" size={40} radius="md">
                <IconFileSpreadsheet size={22} aria-hidden />
              </ThemeIcon>
              <div style={{ minWidth: 0 }}>
                <Text fz="sm" fw={600} style={{ overflowWrap: "anywhere" }} data-testid="import-file-name">
                  {props.file.name}
                </Text>
                <Text fz="xs" c="dimmed">
                  {formatBytes(props.file.size)}
                </Text>
              </div>
            </Group>
            <Group gap="xs" wrap="nowrap">
              <FileButton onChange={pick} resetRef={resetRef} accept=".csv,.xlsx,text/csv">
                {(p) => (
                  <Button {...p} variant="default" size="compact-sm">
                    Choose another
                  </Button>
                )}
              </FileButton>
              <CloseButton aria-label={`Remove ${props.file.name}`} onClick={() => props.onFile(null)} />
            </Group>
          </Group>
        ) : (
          <Stack align="center" gap="xs">
            <ThemeIcon variant="light" size={48} radius="xl">
              <IconUpload size={24} aria-hidden />
            </ThemeIcon>
            <Text fz="sm" fw={600}>
              Drop a CSV or XLSX file here
            </Text>
            <Text fz="xs" c="dimmed">
              Up to {formatBytes(MAX_IMPORT_BYTES)}; the first row names the columns.
            </Text>
            <FileButton
              onChange={pick}
              resetRef={resetRef}
              accept=".csv,.xlsx,text/csv"
              inputProps={{ "aria-label": "CSV or XLSX file" }}
            >
              {(p) => (
                <Button {...p} variant="light" size="sm" mt={4}>
                  Choose a file
                </Button>
              )}
            </FileButton>
          </Stack>
        )}
      </Paper>
      {props.error && (
        <Text fz="sm" c="red" role="alert" style={{ overflowWrap: "anywhere" }}>
          {props.error}
        </Text>
      )}
    </Stack>
  );
}

function ExportLinks({ classId, className }: { classId: string | null; className: string | undefined }) {
  return (
    <Paper withBorder radius="lg" p="md" component="section" aria-labelledby="import-export">
      <Title order={2} fz="md" mb={4} id="import-export">
        Start from an export
      </Title>
      <Text fz="sm" c="dimmed" mb="sm">
        {classId
          ? `Download the ${className ?? ""} CIs as a file that imports back unchanged: edit it, then upload it here.`
          : "Choose a class to download its CIs as a file that imports back unchanged."}
      </Text>
      {classId && (
        <Group gap="sm">
          <Button
            component="a"
            href={exportUrl(classId, "csv")}
            download=""
            variant="default"
            size="sm"
            leftSection={<IconFileTypeCsv size={16} aria-hidden />}
          >
            Download CSV
          </Button>
          <Button
            component="a"
            href={exportUrl(classId, "xlsx")}
            download=""
            variant="default"
            size="sm"
            leftSection={<IconFileTypeXls size={16} aria-hidden />}
          >
            Download XLSX
          </Button>
        </Group>
      )}
    </Paper>
  );
}

function Rules() {
  return (
    <Paper withBorder radius="lg" p="md" component="section" aria-labelledby="import-rules">
      <Title order={2} fz="md" mb="xs" id="import-rules">
        How a file is read
      </Title>
      <List fz="sm" c="dimmed" spacing={4}>
        <List.Item>CSV in UTF-8, comma or semicolon separated, or XLSX (the first sheet).</List.Item>
        <List.Item>Catalog values, organizations and groups by name; users by e-mail.</List.Item>
        <List.Item>CIs and locations by number (CI-000123) or a name only one CI has.</List.Item>
        <List.Item>Several values in one cell are separated by “;”.</List.Item>
        <List.Item>Locked attributes of existing CIs are left as they are.</List.Item>
      </List>
    </Paper>
  );
}

type Step = 0 | 1 | 2;

/**
 * Imports CIs of one class from CSV or XLSX: choose the class and the file, check a dry run (with the
 * column mapping and identifiers editable, and every rejected line with its reason), then import.
 */
export function ImportPage() {
  const queryClient = useQueryClient();
  const classes = useClasses();
  const [step, setStep] = useState<Step>(0);
  const [classId, setClassId] = useState<string | null>(null);
  const [classError, setClassError] = useState<string | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  /** The file's columns as read here, for when the server refuses the file's own mapping. */
  const [columns, setColumns] = useState<string[] | null>(null);
  /** Null until the first dry run: the server then maps columns named like a field by itself. */
  const [mapping, setMapping] = useState<ColumnMapping[] | null>(null);
  const [identifiers, setIdentifiers] = useState<string[]>(["name"]);
  const [report, setReport] = useState<ImportReport | null>(null);
  /** The mapping or identifiers changed since the dry run shown. */
  const [stale, setStale] = useState(false);
  const [result, setResult] = useState<ImportReport | null>(null);

  const active = (classes.data ?? []).filter((c) => c.active);
  const cls = active.find((c) => c.id === classId);
  const attributes = cls?.attributes ?? [];

  const options = (dryRun: boolean) => ({
    file: file as File,
    classId: classId as string,
    dryRun,
    mapping: mapping ? Object.fromEntries(mapping.map((m) => [m.column, m.field])) : undefined,
    identifiers: identifiers.length ? identifiers : undefined,
  });

  const dryRun = useMutation({
    mutationFn: () => importCis(options(true)),
    onSuccess: (r) => {
      setReport(r);
      setStale(false);
      setMapping(r.mapping.map((m) => ({ column: m.column, field: m.field ?? "" })));
      setIdentifiers(r.identifiers);
    },
    onError: (error) => {
      setReport(null);
      const fields = isApiError(error) ? error.fieldErrors() : {};
      if (fields.file || fields.classId) {
        setStep(0);
        if (fields.file) setFileError(fields.file);
        if (fields.classId) setClassError(fields.classId);
        return;
      }
      // The server refused the mapping: offer the columns read here, guessed the way the server guesses.
      if (!mapping && columns) setMapping(guessMapping(columns, attributes));
      setStale(true);
    },
  });

  const run = useMutation({
    mutationFn: () => importCis(options(false)),
    onSuccess: async (r) => {
      setResult(r);
      setStep(2);
      await queryClient.invalidateQueries({ queryKey: cmdbKeys.cis });
      notifySuccess(
        `${r.created} created, ${r.updated} updated, ${r.unchanged} unchanged, ${r.rejected} rejected.`,
        "Import finished",
      );
    },
  });

  const reset = (keepClass: boolean) => {
    setStep(0);
    if (!keepClass) setClassId(null);
    setFile(null);
    setColumns(null);
    setMapping(null);
    setIdentifiers(["name"]);
    setReport(null);
    setStale(false);
    setResult(null);
    dryRun.reset();
    run.reset();
  };

  const chooseFile = (f: File | null) => {
    const refused = f ? refusal(f) : null;
    setFileError(refused);
    setFile(refused ? null : f);
    setColumns(null);
    setMapping(null);
    setIdentifiers(["name"]);
    setReport(null);
    if (f && !refused) void readColumns(f).then(setColumns);
  };

  const startDryRun = () => {
    if (!classId) setClassError("Choose the class of the CIs in the file");
    if (!file) setFileError((e) => e ?? "Choose a CSV or XLSX file");
    if (!classId || !file) return;
    setStep(1);
    dryRun.mutate();
  };

  const editMapping = (next: ColumnMapping[], ids: string[]) => {
    setMapping(next);
    setIdentifiers(ids);
    setStale(true);
  };

  const toImport = report ? report.created + report.updated : 0;
  const canImport = !!report && !stale && !dryRun.isPending && toImport > 0;
  const lines = problemLines(dryRun.error);

  return (
    <Container size="xl" px={0}>
      <PageHeader
        title="Import CIs"
        description="Create and update configuration items of one class from a CSV or XLSX file. A dry run shows what would happen first; nothing is written until you import."
      />
      <Paper withBorder radius="lg" p={{ base: "md", sm: "lg" }}>
        <Stepper active={step} size="sm" mb="xl" allowNextStepsSelect={false}>
          <Stepper.Step label="Class and file" description="What to import" />
          <Stepper.Step label="Dry run" description="Check the mapping and rows" />
          <Stepper.Step label="Import" description="Write the CIs" />
        </Stepper>

        {step === 0 && (
          <Grid gap="lg">
            <Grid.Col span={{ base: 12, md: 7 }}>
              <Stack gap="md">
                <Select
                  label="Class"
                  description="Every row becomes a CI of this class"
                  placeholder="Choose a class"
                  required
                  searchable
                  data={active.map((c) => ({ value: c.id, label: c.name }))}
                  value={classId}
                  onChange={(v) => {
                    setClassId(v);
                    setClassError(null);
                    setMapping(null);
                    setReport(null);
                  }}
                  error={classError}
                  maw={420}
                  comboboxProps={{ withinPortal: true }}
                />
                <FilePicker file={file} error={fileError} onFile={chooseFile} />
                <Group justify="flex-end">
                  <Button rightSection={<IconArrowRight size={16} aria-hidden />} onClick={startDryRun}>
                    Dry run
                  </Button>
                </Group>
              </Stack>
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 5 }}>
              <Stack gap="md">
                <ExportLinks classId={classId} className={cls?.name} />
                <Rules />
              </Stack>
            </Grid.Col>
          </Grid>
        )}

        {step === 1 && (
          <Stack gap="lg">
            <Group gap="xs" c="dimmed" fz="sm">
              <IconFileSpreadsheet size={16} aria-hidden />
              <Text fz="sm" c="dimmed">
                <Text span fw={600} c="var(--mantine-color-text)">
                  {file?.name}
                </Text>{" "}
                into{" "}
                <Text span fw={600} c="var(--mantine-color-text)">
                  {cls?.name}
                </Text>
              </Text>
            </Group>
            {dryRun.isError && (
              <Alert
                color="red"
                variant="light"
                icon={<IconAlertCircle size={18} aria-hidden />}
                title="The dry run was refused"
                role="alert"
              >
                {lines.length ? (
                  <List fz="sm" spacing={2}>
                    {lines.map((l) => (
                      <List.Item key={l}>{l}</List.Item>
                    ))}
                  </List>
                ) : (
                  <Text fz="sm">{errorMessage(dryRun.error)}</Text>
                )}
                {mapping && (
                  <Text fz="sm" mt="xs">
                    Correct the mapping below and run the dry run again.
                  </Text>
                )}
              </Alert>
            )}
            {report && !dryRun.isPending && (
              <Stack gap="md" opacity={stale ? 0.55 : 1} aria-label="Dry run report" role="region">
                <ImportCounts report={report} />
                <RejectedRows report={report} />
              </Stack>
            )}
            {mapping && (
              <MappingEditor
                mapping={mapping}
                attributes={attributes}
                identifiers={identifiers}
                onChange={editMapping}
                disabled={dryRun.isPending || run.isPending}
              />
            )}
            {stale && report && (
              <Alert color="blue" variant="light" icon={<IconInfoCircle size={18} aria-hidden />}>
                The mapping changed since this dry run: run it again before importing.
              </Alert>
            )}
            {run.isError && (
              <Alert
                color="red"
                variant="light"
                icon={<IconAlertCircle size={18} aria-hidden />}
                title="The import failed"
                role="alert"
              >
                {[errorMessage(run.error), ...problemLines(run.error)].join(" — ")}
              </Alert>
            )}
            <Group justify="space-between">
              <Button
                variant="default"
                leftSection={<IconArrowLeft size={16} aria-hidden />}
                onClick={() => setStep(0)}
                disabled={run.isPending}
              >
                Back
              </Button>
              <Group gap="sm">
                <Button
                  variant={stale || !report ? "filled" : "default"}
                  leftSection={<IconRefresh size={16} aria-hidden />}
                  onClick={() => dryRun.mutate()}
                  loading={dryRun.isPending}
                  disabled={run.isPending}
                >
                  Run the dry run again
                </Button>
                <Button
                  variant={stale || !report ? "default" : "filled"}
                  leftSection={<IconTableImport size={16} aria-hidden />}
                  onClick={() => run.mutate()}
                  loading={run.isPending}
                  disabled={!canImport}
                >
                  {report && !stale ? `Import ${toImport} ${toImport === 1 ? "CI" : "CIs"}` : "Import"}
                </Button>
              </Group>
            </Group>
          </Stack>
        )}

        {step === 2 && result && (
          <Stack gap="lg">
            <Alert
              color={result.rejected ? "yellow" : "teal"}
              variant="light"
              icon={<IconCircleCheck size={18} aria-hidden />}
              title="Import finished"
            >
              {file?.name} was imported into {cls?.name}
              {result.rejected
                ? `; ${result.rejected} rejected ${result.rejected === 1 ? "row was" : "rows were"} left out.`
                : "."}
            </Alert>
            <Stack gap="md" aria-label="Import report" role="region">
              <ImportCounts report={result} />
              <RejectedRows report={result} />
            </Stack>
            <Group justify="space-between">
              <Anchor
                renderRoot={(p) => <Link {...p} to="/cmdb" search={{ classId: classId ?? undefined }} />}
                fz="sm"
                fw={600}
              >
                Show the {cls?.name} CIs
              </Anchor>
              <Button variant="default" leftSection={<IconUpload size={16} aria-hidden />} onClick={() => reset(true)}>
                Import another file
              </Button>
            </Group>
          </Stack>
        )}
      </Paper>
    </Container>
  );
}
