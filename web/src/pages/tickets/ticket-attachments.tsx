import {
  Anchor,
  Badge,
  Box,
  Button,
  Checkbox,
  FileButton,
  Group,
  Paper,
  Stack,
  Text,
  ThemeIcon,
  Title,
} from "@mantine/core";
import { IconFile, IconLock, IconPaperclip } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type DragEvent, useRef, useState } from "react";
import { MAX_ATTACHMENT_BYTES, type Ticket } from "../../../../common/tickets.ts";
import { isApiError } from "../../api/client.ts";
import { type Attachment, attachmentUrl, listAttachments, uploadAttachment } from "../../api/ticket-extras.ts";
import { formatRelative } from "../../lib/format.ts";
import { errorMessage, notifySuccess } from "../../lib/notify.ts";
import { useUserNames } from "./use-names.ts";
import { attachmentsKey } from "./use-ticket.ts";

/** 1536 → "1.5 KB"; binary units, as the upload limit counts them. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KB", "MB", "GB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value < 10 ? value.toFixed(1).replace(/\.0$/, "") : Math.round(value)} ${units[unit]}`;
}

function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      resolve(url.slice(url.indexOf(",") + 1));
    };
    reader.onerror = () => reject(reader.error ?? new Error(`${file.name} could not be read.`));
    reader.readAsDataURL(file);
  });
}

/** Why a file is refused before it is sent, or null when it may go. */
function refusal(file: File): string | null {
  if (file.size === 0) return `${file.name} is empty.`;
  if (file.size > MAX_ATTACHMENT_BYTES) {
    return `${file.name} is too large (${formatBytes(file.size)}): files can be ${formatBytes(MAX_ATTACHMENT_BYTES)} at most.`;
  }
  return null;
}

/** The server's problem detail, with its field messages ("contentBase64: larger than 10 MiB"). */
function uploadError(error: unknown, filename: string): string {
  const parts = [errorMessage(error)];
  if (isApiError(error)) {
    for (const [field, message] of Object.entries(error.fieldErrors())) {
      parts.push(`${field === "contentBase64" ? "file" : field}: ${message}`);
    }
  }
  return `${filename} was not attached. ${parts.join(" — ")}`;
}

function AttachmentRow({ file, uploader }: { file: Attachment; uploader: string }) {
  return (
    <Group component="li" gap="sm" wrap="nowrap" align="flex-start">
      <ThemeIcon variant="light" color="gray" size={32} radius="md">
        <IconFile size={18} aria-hidden />
      </ThemeIcon>
      <Box miw={0}>
        <Group gap={6} wrap="nowrap">
          <Anchor href={attachmentUrl(file.id)} download="" fz="sm" fw={600} style={{ overflowWrap: "anywhere" }}>
            {file.filename}
          </Anchor>
          {file.internal && (
            <Badge color="yellow" variant="filled" size="xs" leftSection={<IconLock size={10} aria-hidden />}>
              Internal
            </Badge>
          )}
        </Group>
        <Text fz="xs" c="dimmed">
          {formatBytes(file.size)} · {uploader} ·{" "}
          <time dateTime={file.createdAt} title={new Date(file.createdAt).toLocaleString()}>
            {formatRelative(file.createdAt)}
          </time>
        </Text>
      </Box>
    </Group>
  );
}

/**
 * The ticket's files: download links (always served as attachments) and, for those who may reply, an
 * upload button that also takes a dropped file. Files over the limit are refused before they are sent.
 */
export function TicketAttachments({ ticket }: { ticket: Ticket }) {
  const queryClient = useQueryClient();
  const files = useQuery({
    queryKey: attachmentsKey(ticket.id),
    queryFn: () => listAttachments(ticket.id),
    select: (d) => d.items,
  });
  const names = useUserNames((files.data ?? []).map((f) => f.uploadedBy));
  const [internal, setInternal] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const resetRef = useRef<() => void>(null);
  const upload = useMutation({
    mutationFn: async (file: File) => {
      const contentType = /^[\w.+-]+\/[\w.+-]+$/.test(file.type) ? file.type : "application/octet-stream";
      const contentBase64 = await readBase64(file);
      return uploadAttachment(ticket.id, { filename: file.name, contentType, contentBase64, internal });
    },
    onSuccess: async (a) => {
      notifySuccess(`${a.filename} was attached to ${ticket.number}.`);
      await queryClient.invalidateQueries({ queryKey: attachmentsKey(ticket.id) });
    },
    onError: (e, file) => setError(uploadError(e, file.name)),
  });
  const canUpload = ticket.abilities.reply;
  const pick = (file: File | null) => {
    resetRef.current?.();
    if (!file) return;
    const refused = refusal(file);
    setError(refused);
    if (!refused) upload.mutate(file);
  };
  const drop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    if (canUpload && !upload.isPending) pick(event.dataTransfer.files[0] ?? null);
  };
  const items = files.data ?? [];

  return (
    <Paper
      withBorder
      p="md"
      radius="lg"
      component="section"
      aria-labelledby="ticket-attachments-title"
      onDragOver={(e) => {
        if (!canUpload) return;
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={drop}
      style={dragging ? { outline: "2px dashed var(--mantine-primary-color-filled)", outlineOffset: -4 } : undefined}
    >
      <Group justify="space-between" mb="sm" gap="xs">
        <Group gap={6}>
          <Title order={2} fz="md" id="ticket-attachments-title">
            Attachments
          </Title>
          <Badge variant="light" color="gray" size="sm">
            {items.length}
          </Badge>
        </Group>
        {canUpload && (
          <Group gap="sm">
            {ticket.abilities.note && (
              <Checkbox
                label="Internal"
                aria-describedby="attachment-internal-hint"
                checked={internal}
                onChange={(e) => setInternal(e.currentTarget.checked)}
                size="xs"
              />
            )}
            <FileButton onChange={pick} resetRef={resetRef} inputProps={{ "aria-label": "File to attach" }}>
              {(props) => (
                <Button
                  {...props}
                  size="compact-sm"
                  variant="light"
                  loading={upload.isPending}
                  leftSection={<IconPaperclip size={14} aria-hidden />}
                >
                  Attach a file
                </Button>
              )}
            </FileButton>
          </Group>
        )}
      </Group>
      <Stack gap="sm">
        {error && (
          <Text fz="sm" c="red" role="alert" style={{ overflowWrap: "anywhere" }}>
            {error}
          </Text>
        )}
        {files.isError ? (
          <Text fz="sm" c="red">
            {errorMessage(files.error)}
          </Text>
        ) : items.length ? (
          <Stack component="ul" gap="sm" p={0} m={0} aria-label="Files" style={{ listStyle: "none" }}>
            {items.map((f) => (
              <AttachmentRow
                key={f.id}
                file={f}
                uploader={f.uploadedBy ? (names.get(f.uploadedBy) ?? "…") : "Steward"}
              />
            ))}
          </Stack>
        ) : (
          <Text fz="sm" c="dimmed">
            {files.isLoading ? "Loading files…" : "No files yet."}
          </Text>
        )}
        {canUpload && (
          <Text fz="xs" c="dimmed" id="attachment-internal-hint">
            Drop a file here or use Attach a file; up to {formatBytes(MAX_ATTACHMENT_BYTES)}.
            {ticket.abilities.note && " Internal files are for agents only."}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}
