import { Avatar, Badge, Box, Center, Group, Loader, Paper, Stack, Text, ThemeIcon } from "@mantine/core";
import { IconActivity, IconLock } from "@tabler/icons-react";
import type { Article } from "../../../../common/tickets.ts";
import { initials } from "../../layout/user-menu.tsx";
import { formatRelative } from "../../lib/format.ts";
import { changesOf, eventSentence, mergedIntoOf, type Names, specialSentence } from "./event-sentence.ts";
import { MailArticle } from "./mail-article.tsx";
import { RichText } from "./rich-text.tsx";

function When({ at }: { at: string }) {
  return (
    <Text component="time" dateTime={at} fz="xs" c="dimmed" title={new Date(at).toLocaleString()}>
      {formatRelative(at)}
    </Text>
  );
}

function Message({ article, showKind }: { article: Article; showKind: boolean }) {
  const note = article.kind === "note";
  const author = article.author?.name ?? "Steward";
  return (
    <Paper
      withBorder
      p="md"
      radius="md"
      className={note ? "steward-note" : undefined}
      component="article"
      aria-label={note ? `Internal note from ${author}` : `Reply from ${author}`}
    >
      <Group justify="space-between" gap="xs" mb="xs" wrap="nowrap" align="flex-start">
        <Group gap="sm" wrap="nowrap">
          <Avatar size={30} radius="xl" color={note ? "yellow" : "indigo"}>
            {initials(author)}
          </Avatar>
          <div>
            <Group gap={6}>
              <Text fz="sm" fw={600}>
                {author}
              </Text>
              {note ? (
                <Badge color="yellow" variant="filled" size="sm" leftSection={<IconLock size={11} aria-hidden />}>
                  Internal
                </Badge>
              ) : (
                showKind && (
                  <Badge color="gray" variant="light" size="sm">
                    Reply
                  </Badge>
                )
              )}
            </Group>
            <When at={article.createdAt} />
          </div>
        </Group>
        {article.timeSpentMinutes ? (
          <Text fz="xs" c="dimmed" style={{ whiteSpace: "nowrap" }}>
            {article.timeSpentMinutes} min spent
          </Text>
        ) : null}
      </Group>
      <RichText html={article.body} empty="(empty)" />
    </Paper>
  );
}

function SystemEntry({ article, names }: { article: Article; names: Names }) {
  const sentence =
    specialSentence(article.event) ??
    eventSentence(article.author?.name ?? "Steward", changesOf(article.event), names, mergedIntoOf(article.event));
  return (
    <Group gap="sm" wrap="nowrap" px={4} align="flex-start" data-kind="system">
      <ThemeIcon size={24} radius="xl" variant="light" color="gray">
        <IconActivity size={14} aria-hidden />
      </ThemeIcon>
      <Box>
        <Text fz="sm">{sentence}</Text>
        <When at={article.createdAt} />
      </Box>
    </Group>
  );
}

/**
 * Replies, internal notes and system events (when `names` can name their people), oldest first. E-mails
 * show their envelope; agents (who pass `names`) may open the original message.
 */
export function TicketTimeline(props: { articles: Article[] | undefined; isLoading: boolean; names?: Names }) {
  const { articles, isLoading, names } = props;
  if (isLoading) {
    return (
      <Center py="lg">
        <Loader size="sm" aria-label="Loading the timeline" />
      </Center>
    );
  }
  const shown = (articles ?? []).filter((a) => a.kind !== "system" || names);
  if (!shown.length) {
    return (
      <Text c="dimmed" fz="sm" py="sm">
        No replies yet.
      </Text>
    );
  }
  return (
    <Stack component="ol" gap="sm" p={0} m={0} aria-label="Timeline" style={{ listStyle: "none" }}>
      {shown.map((a) => (
        <li key={a.id} data-kind={a.kind}>
          {a.kind === "system" && names ? (
            <SystemEntry article={a} names={names} />
          ) : a.channel === "email" && a.mail ? (
            <MailArticle article={a} mail={a.mail} agent={!!names} />
          ) : (
            <Message article={a} showKind={!!names} />
          )}
        </li>
      ))}
    </Stack>
  );
}
