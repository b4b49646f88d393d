import { Alert, Avatar, Badge, Box, Button, Center, Group, Loader, Modal, Paper, Text } from "@mantine/core";
import {
  IconAlertTriangle,
  IconDownload,
  IconFileCode,
  IconLock,
  IconMail,
  IconPaperclip,
  IconPhotoOff,
} from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { type ReactNode, useEffect, useRef, useState } from "react";
import type { Article, MailEnvelope } from "../../../../common/tickets.ts";
import { articleSourceUrl, emailKeys, fetchText } from "../../api/email.ts";
import { attachmentUrl } from "../../api/ticket-extras.ts";
import { initials } from "../../layout/user-menu.tsx";
import { formatDateTime, formatRelative } from "../../lib/format.ts";
import { errorMessage } from "../../lib/notify.ts";
import { RichText } from "./rich-text.tsx";
import { formatBytes } from "./ticket-attachments.tsx";

type Delivery = NonNullable<MailEnvelope["delivery"]>["state"];
type MailAddress = NonNullable<MailEnvelope["from"]>;

export const DELIVERY_LABELS: Record<Delivery, string> = {
  queued: "Queued",
  sending: "Sending",
  sent: "Sent",
  failed: "Failed",
  suppressed: "Not sent",
};
export const DELIVERY_COLORS: Record<Delivery, string> = {
  queued: "gray",
  sending: "blue",
  sent: "teal",
  failed: "red",
  suppressed: "gray",
};

export function DeliveryBadge({ state }: { state: Delivery }) {
  return (
    <Badge variant="dot" color={DELIVERY_COLORS[state]} size="sm" style={{ minWidth: "max-content" }}>
      {DELIVERY_LABELS[state]}
    </Badge>
  );
}

/** Largest part of a source shown on the page; the rest is a download away. */
const SHOWN_CHARS = 256 * 1024;

/** A message's raw source (a quarantined mail, an article's original), fetched as text when opened. */
export function SourceModal(props: { url: string | null; title: string; onClose: () => void }) {
  const { url, title, onClose } = props;
  const source = useQuery({
    queryKey: emailKeys.source(url ?? ""),
    queryFn: ({ signal }) => fetchText(url ?? "", signal),
    enabled: !!url,
    staleTime: 5 * 60_000,
    gcTime: 60_000,
    retry: false,
  });
  const text = source.data ?? "";
  const cut = text.length > SHOWN_CHARS;
  return (
    <Modal opened={!!url} onClose={onClose} title={title} size="xl">
      {source.isLoading ? (
        <Center py="xl">
          <Loader size="sm" aria-label="Loading the message source" />
        </Center>
      ) : source.isError ? (
        <Text c="red" fz="sm" role="alert">
          {errorMessage(source.error)}
        </Text>
      ) : (
        <>
          {cut && (
            <Text fz="xs" c="dimmed" mb="xs">
              The message is long: the first {formatBytes(SHOWN_CHARS)} are shown. Download it to see all of it.
            </Text>
          )}
          <Box
            component="pre"
            tabIndex={0}
            aria-label="Message source"
            ff="monospace"
            fz="xs"
            p="sm"
            m={0}
            bg="var(--mantine-color-default-hover)"
            style={{
              whiteSpace: "pre-wrap",
              overflowWrap: "anywhere",
              borderRadius: "var(--mantine-radius-md)",
              maxHeight: "65vh",
              overflowY: "auto",
              lineHeight: 1.5,
            }}
          >
            {cut ? text.slice(0, SHOWN_CHARS) : text}
          </Box>
        </>
      )}
      <Group justify="flex-end" mt="md" gap="sm">
        {url && (
          <Button
            component="a"
            href={url}
            download=""
            variant="default"
            leftSection={<IconDownload size={16} aria-hidden />}
          >
            Download
          </Button>
        )}
        <Button onClick={onClose}>Close</Button>
      </Group>
    </Modal>
  );
}

function who(a: MailAddress): string {
  return a.name && a.name !== a.address ? `${a.name} <${a.address}>` : a.address;
}

function EnvelopeRow({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <Text component="dt" fz="xs" c="dimmed" fw={500}>
        {label}
      </Text>
      <Text component="dd" fz="xs" m={0} style={{ overflowWrap: "anywhere", minWidth: 0 }}>
        {children}
      </Text>
    </>
  );
}

function Envelope({ mail }: { mail: MailEnvelope }) {
  return (
    <Box
      component="dl"
      aria-label="E-mail header"
      m={0}
      px="sm"
      py="xs"
      bg="var(--mantine-color-default-hover)"
      style={{
        display: "grid",
        gridTemplateColumns: "max-content minmax(0, 1fr)",
        columnGap: "var(--mantine-spacing-md)",
        rowGap: 2,
        borderRadius: "var(--mantine-radius-md)",
      }}
    >
      <EnvelopeRow label="From">{mail.from ? who(mail.from) : "—"}</EnvelopeRow>
      <EnvelopeRow label="To">{mail.to.length ? mail.to.map(who).join(", ") : "—"}</EnvelopeRow>
      {mail.cc.length > 0 && <EnvelopeRow label="Cc">{mail.cc.map(who).join(", ")}</EnvelopeRow>}
      <EnvelopeRow label="Subject">{mail.subject || "(no subject)"}</EnvelopeRow>
      {mail.date && (
        <EnvelopeRow label="Date">
          <time dateTime={mail.date}>{formatDateTime(mail.date)}</time>
        </EnvelopeRow>
      )}
    </Box>
  );
}

/** An address from data-remote-src, if it may be loaded: https only (http is upgraded, as the CSP allows https). */
export function remoteImageUrl(raw: string | undefined): string | null {
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return null;
  if (url.username || url.password) return null;
  url.protocol = "https:";
  return url.href;
}

function Attachments({ files }: { files: MailEnvelope["attachments"] }) {
  if (files.length === 0) return null;
  // Files first, then the images already shown in the message.
  const sorted = [...files].sort((a, b) => Number(a.inline) - Number(b.inline));
  return (
    <Group component="ul" gap="xs" mt="sm" p={0} m={0} aria-label="E-mail attachments" style={{ listStyle: "none" }}>
      {sorted.map((f) => (
        <li key={f.id} style={{ maxWidth: "100%" }}>
          <Button
            component="a"
            href={attachmentUrl(f.id)}
            download=""
            variant="default"
            size="compact-sm"
            radius="xl"
            fw={500}
            maw="100%"
            title={`${f.filename}${f.inline ? " (shown in the message)" : ""}`}
            aria-label={`Download ${f.filename}, ${formatBytes(f.size)}`}
            leftSection={<IconPaperclip size={14} aria-hidden />}
            rightSection={
              <Text span fz="xs" c="dimmed" aria-hidden>
                {formatBytes(f.size)}
              </Text>
            }
          >
            <span style={{ overflow: "hidden", textOverflow: "ellipsis", maxWidth: 260 }}>{f.filename}</span>
          </Button>
        </li>
      ))}
    </Group>
  );
}

/** The body of an e-mail, with its remote images blocked until someone asks for them. */
function MailBody({ article, mail }: { article: Article; mail: MailEnvelope }) {
  const [showImages, setShowImages] = useState(false);
  const bodyRef = useRef<HTMLDivElement>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new body replaces the images, which need their addresses again
  useEffect(() => {
    if (!showImages || !bodyRef.current) return;
    for (const img of bodyRef.current.querySelectorAll<HTMLImageElement>("img[data-remote-src]")) {
      const url = remoteImageUrl(img.dataset.remoteSrc);
      if (!url) continue;
      img.referrerPolicy = "no-referrer";
      img.src = url;
    }
  }, [showImages, article.body]);
  const blocked = mail.remoteImages;
  return (
    <>
      {blocked > 0 && !showImages && (
        <Group
          gap="xs"
          px="sm"
          py={6}
          mb="sm"
          wrap="nowrap"
          bg="var(--mantine-color-yellow-light)"
          style={{ borderRadius: "var(--mantine-radius-md)" }}
        >
          <IconPhotoOff size={16} aria-hidden style={{ flexShrink: 0 }} />
          <Text fz="xs" style={{ flex: 1 }}>
            {blocked === 1 ? "1 remote image blocked" : `${blocked} remote images blocked`}
            <Text span fz="xs" c="dimmed" visibleFrom="sm">
              {" "}
              — loading them tells the sender that the message was read
            </Text>
          </Text>
          <Button size="compact-xs" variant="white" color="dark" onClick={() => setShowImages(true)}>
            Show images
          </Button>
        </Group>
      )}
      <Box ref={bodyRef}>
        <RichText html={article.body} empty="(empty message)" />
      </Box>
    </>
  );
}

/**
 * An e-mail in the timeline: its envelope, its body (unless it opened the ticket: that body is the
 * description), its attachments and, for agents, the original message.
 */
export function MailArticle({ article, mail, agent }: { article: Article; mail: MailEnvelope; agent: boolean }) {
  const [sourceOpen, setSourceOpen] = useState(false);
  const note = article.kind === "note";
  const outgoing = mail.direction === "out";
  const sender = article.author?.name ?? (mail.from ? mail.from.name || mail.from.address : "Unknown sender");
  const delivery = outgoing ? mail.delivery : null;
  return (
    <Paper
      withBorder
      p="md"
      radius="md"
      className={note ? "steward-note" : undefined}
      component="article"
      aria-label={`E-mail ${outgoing ? "sent by" : "from"} ${sender}`}
      data-channel="email"
    >
      <Group justify="space-between" gap="xs" mb="sm" wrap="nowrap" align="flex-start">
        <Group gap="sm" wrap="nowrap" miw={0}>
          <Avatar size={30} radius="xl" color={outgoing ? "indigo" : "cyan"}>
            {initials(sender)}
          </Avatar>
          <Box miw={0}>
            <Group gap={6}>
              <Text fz="sm" fw={600} style={{ overflowWrap: "anywhere" }}>
                {sender}
              </Text>
              <Badge color="cyan" variant="light" size="sm" leftSection={<IconMail size={11} aria-hidden />}>
                E-mail
              </Badge>
              {note && (
                <Badge color="yellow" variant="filled" size="sm" leftSection={<IconLock size={11} aria-hidden />}>
                  Internal
                </Badge>
              )}
              {delivery && <DeliveryBadge state={delivery.state} />}
            </Group>
            <Text
              component="time"
              dateTime={article.createdAt}
              fz="xs"
              c="dimmed"
              title={formatDateTime(article.createdAt)}
            >
              {formatRelative(article.createdAt)}
            </Text>
          </Box>
        </Group>
        {agent && mail.hasSource && (
          <Button
            variant="subtle"
            color="gray"
            size="compact-xs"
            leftSection={<IconFileCode size={14} aria-hidden />}
            onClick={() => setSourceOpen(true)}
            style={{ flexShrink: 0 }}
          >
            View original
          </Button>
        )}
      </Group>
      <Envelope mail={mail} />
      {delivery?.state === "failed" && (
        <Alert
          mt="sm"
          color="red"
          variant="light"
          p="xs"
          icon={<IconAlertTriangle size={16} aria-hidden />}
          title="Not delivered"
          styles={{
            title: { fontSize: "var(--mantine-font-size-xs)" },
            message: { fontSize: "var(--mantine-font-size-xs)" },
          }}
        >
          {delivery.error ?? "The mail server refused the message."}
        </Alert>
      )}
      {delivery?.state === "suppressed" && delivery.error && (
        <Text fz="xs" c="dimmed" mt="xs">
          Not sent: {delivery.error}
        </Text>
      )}
      <Box mt="sm">
        {mail.initial ? (
          <Text fz="xs" c="dimmed">
            This message opened the ticket: its text is the description above.
          </Text>
        ) : (
          <MailBody article={article} mail={mail} />
        )}
      </Box>
      <Attachments files={mail.attachments} />
      {agent && mail.hasSource && (
        <SourceModal
          url={sourceOpen ? articleSourceUrl(article.ticketId, article.id) : null}
          title="Original message"
          onClose={() => setSourceOpen(false)}
        />
      )}
    </Paper>
  );
}
