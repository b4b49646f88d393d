import { Button, CloseButton, Group, Popover, Stack, Text, Timeline, Title } from "@mantine/core";
import { useInterval } from "@mantine/hooks";
import {
  IconAlertTriangle,
  IconCircleCheck,
  IconClockHour4,
  IconFlag,
  IconPlayerPause,
  IconPlayerPlay,
  IconPlayerStop,
} from "@tabler/icons-react";
import { type ReactNode, useEffect, useId, useState } from "react";
import type { TicketSla } from "../../../../common/sla-policies.ts";
import { formatDateTime, formatMinutes, formatMoment } from "../../lib/format.ts";
import { useTicketSla } from "./use-ticket.ts";

type Clock = TicketSla["clocks"][number];
type ClockEvent = Clock["events"][number];

export const TARGET_LABELS: Record<Clock["target"], string> = {
  first_response: "First response",
  resolution: "Resolution",
  next_response: "Next response",
};

const EVENT_LOOK: Record<ClockEvent["kind"], { verb: string; icon: ReactNode }> = {
  start: { verb: "Started", icon: <IconPlayerPlay size={11} aria-hidden /> },
  pause: { verb: "Paused", icon: <IconPlayerPause size={11} aria-hidden /> },
  resume: { verb: "Resumed", icon: <IconPlayerPlay size={11} aria-hidden /> },
  stop: { verb: "Stopped", icon: <IconPlayerStop size={11} aria-hidden /> },
};

/** Colour, words and icon: blue running, amber past the warning, red breached, gray paused, green met. */
export function clockLook(clock: Clock): { color: string; status: string; icon: ReactNode } {
  const size = 14;
  if (clock.status === "breached") return { color: "red", status: "breached", icon: <IconFlag size={size} /> };
  if (clock.status === "met") return { color: "green", status: "met", icon: <IconCircleCheck size={size} /> };
  if (clock.status === "paused") return { color: "gray", status: "paused", icon: <IconPlayerPause size={size} /> };
  if (clock.warned) return { color: "orange", status: "at risk", icon: <IconAlertTriangle size={size} /> };
  return { color: "blue", status: "running", icon: <IconClockHour4 size={size} /> };
}

/** "due in 2 h 10 min", "due Tue 25 Nov, 09:00", "paused", "met", "breached 35 min ago". */
export function clockText(clock: Clock, now: number): string {
  const due = clock.dueAt ? new Date(clock.dueAt).getTime() : null;
  if (clock.status === "paused" || clock.status === "met") return clock.status;
  if (clock.status === "breached") {
    if (due === null) return "breached";
    const ago = (now - due) / 60_000;
    return ago < 1 ? "breached just now" : `breached ${formatMinutes(ago, { days: true })} ago`;
  }
  if (due === null) return `${formatMinutes(clock.remainingMinutes)} left`;
  const left = (due - now) / 60_000;
  if (left < 1) return "due now";
  return left < 24 * 60 ? `due in ${formatMinutes(Math.floor(left))}` : `due ${formatMoment(clock.dueAt ?? "")}`;
}

/** "on_hold (awaiting_customer)" → "on hold (awaiting customer)". */
const readable = (detail: string) => detail.replace(/_/g, " ");

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Group gap="xs" justify="space-between" wrap="nowrap" align="flex-start">
      <Text fz="xs" c="dimmed" style={{ flexShrink: 0 }}>
        {label}
      </Text>
      <Text fz="xs" ta="right">
        {children}
      </Text>
    </Group>
  );
}

/** The popover's body: which policy, how much working time has gone and is left, and the clock's moments. */
function Explanation({ clock, sla, titleId }: { clock: Clock; sla: TicketSla; titleId: string }) {
  const now = new Date();
  const zone = sla.calendar?.timezone;
  const localZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const inZone = (iso: string) =>
    zone && zone !== localZone
      ? ` (${new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short", timeZone: zone }).format(new Date(iso))} in ${zone})`
      : "";
  return (
    <Stack gap="sm">
      <Title order={3} fz="sm" id={titleId} pr={28}>
        Why is it due then?
      </Title>
      <Stack gap={4}>
        <Fact label="Policy">{sla.policyName ?? "—"}</Fact>
        {sla.calendar && (
          <Fact label="Calendar">
            {sla.calendar.always ? "24×7" : "Working hours"} · {sla.calendar.timezone}
          </Fact>
        )}
        <Fact label="Target">
          {TARGET_LABELS[clock.target]} within {formatMinutes(clock.targetMinutes)} of working time
        </Fact>
        <Fact label="Elapsed">{formatMinutes(clock.elapsedMinutes)} working time</Fact>
        {clock.status !== "met" && <Fact label="Remaining">{formatMinutes(clock.remainingMinutes)} working time</Fact>}
        {clock.dueAt && (
          <Fact label="Due">
            {formatDateTime(clock.dueAt)}
            {inZone(clock.dueAt)}
          </Fact>
        )}
        {clock.warningAt && clock.status !== "met" && (
          <Fact label="Warning">
            {formatDateTime(clock.warningAt)}
            {clock.warned ? " (passed)" : ""}
          </Fact>
        )}
      </Stack>
      <Text fz="xs" c="dimmed">
        Only working time in the policy's calendar counts, and none while the clock is paused.
      </Text>
      {clock.events.length > 0 && (
        <Timeline active={clock.events.length - 1} bulletSize={20} lineWidth={2} aria-label="Clock events">
          {clock.events.map((e) => (
            <Timeline.Item
              key={`${e.at}-${e.kind}`}
              bullet={EVENT_LOOK[e.kind].icon}
              title={
                <Text fz="xs">
                  <b>
                    {EVENT_LOOK[e.kind].verb} {formatMoment(e.at, now)}
                  </b>
                  {e.detail ? ` — ${readable(e.detail)}` : ""}
                </Text>
              }
            />
          ))}
        </Timeline>
      )}
    </Stack>
  );
}

function SlaChip({ clock, sla, now }: { clock: Clock; sla: TicketSla; now: number }) {
  const [opened, setOpened] = useState(false);
  const titleId = useId();
  const look = clockLook(clock);
  const label = TARGET_LABELS[clock.target];
  const text = clockText(clock, now);
  const spoken = text === look.status ? look.status : `${look.status}, ${text}`;
  return (
    <Popover opened={opened} onChange={setOpened} position="bottom-start" width={330} withArrow shadow="md" trapFocus>
      <Popover.Target>
        <Button
          size="compact-sm"
          radius="xl"
          variant={clock.status === "breached" ? "filled" : "light"}
          color={look.color}
          leftSection={<span aria-hidden>{look.icon}</span>}
          onClick={() => setOpened((o) => !o)}
          aria-label={`${label} SLA: ${spoken}. Why?`}
          data-testid="sla-chip"
          data-status={clock.status}
          data-warned={clock.warned || undefined}
          fw={600}
        >
          {label} · {text}
        </Button>
      </Popover.Target>
      <Popover.Dropdown aria-labelledby={titleId} maw="calc(100vw - 24px)">
        <CloseButton size="sm" aria-label="Close" onClick={() => setOpened(false)} pos="absolute" top={8} right={8} />
        <Explanation clock={clock} sla={sla} titleId={titleId} />
      </Popover.Dropdown>
    </Popover>
  );
}

/** One chip per SLA clock; nothing when no policy applies or the clocks cannot be read. */
export function SlaChips({ ticketId }: { ticketId: string }) {
  const sla = useTicketSla(ticketId);
  const [now, setNow] = useState(() => Date.now());
  // "due in …" is wall-clock: keep it moving even when the server's answer has not changed.
  useInterval(() => setNow(Date.now()), 30_000, { autoInvoke: true });
  useEffect(() => {
    if (sla.dataUpdatedAt) setNow(Date.now());
  }, [sla.dataUpdatedAt]);
  const data = sla.data;
  if (!data || data.clocks.length === 0) return null;
  return (
    <Group gap="xs" role="group" aria-label="SLA clocks">
      {data.clocks.map((clock) => (
        <SlaChip key={clock.target} clock={clock} sla={data} now={now} />
      ))}
    </Group>
  );
}
