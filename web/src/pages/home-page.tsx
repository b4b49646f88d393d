import { Badge, Card, Container, Group, SimpleGrid, Text, ThemeIcon, Title } from "@mantine/core";
import {
  IconArrowsExchange,
  IconBuildingSkyscraper,
  IconCalendarEvent,
  IconGavel,
  IconInbox,
  IconKey,
  IconTicket,
  IconTopologyStar3,
  IconUser,
  IconUserCheck,
  IconUsersGroup,
  type TablerIcon,
} from "@tabler/icons-react";
import { Link } from "@tanstack/react-router";
import { can, useMe } from "../auth.tsx";
import { AREAS, type Area } from "./areas.ts";
import { PageHeader } from "./page-header.tsx";

type Shortcut = {
  to: string;
  search?: Record<string, string>;
  title: string;
  text: string;
  icon: TablerIcon;
  badge?: string;
};

function ShortcutCard({ to, search, title, text, icon: Icon, badge }: Shortcut) {
  return (
    <Card withBorder padding="lg" component={Link} to={to} search={search as never} aria-label={title}>
      <Group justify="space-between" align="flex-start" mb="sm">
        <ThemeIcon size={40} radius="md" variant="light">
          <Icon size={22} stroke={1.7} aria-hidden />
        </ThemeIcon>
        {badge && (
          <Badge variant="light" color="gray">
            {badge}
          </Badge>
        )}
      </Group>
      <Text fw={600}>{title}</Text>
      <Text fz="sm" c="dimmed" mt={4} lineClamp={3}>
        {text}
      </Text>
    </Card>
  );
}

function greeting(): string {
  const hour = new Date().getHours();
  if (hour < 12) return "Good morning";
  if (hour < 18) return "Good afternoon";
  return "Good evening";
}

export function HomePage() {
  const me = useMe();
  const firstName = me?.name.split(/\s+/)[0] ?? "";
  const areas = Object.entries(AREAS) as [Area, (typeof AREAS)[Area]][];
  const admin: Shortcut[] = [];
  if (can(me, "user.update") || can(me, "user.create"))
    admin.push({
      to: "/admin/users",
      title: "Users",
      text: "Agents and customers, their roles and access.",
      icon: IconUser,
    });
  if (can(me, "organization.update") || can(me, "organization.create"))
    admin.push({
      to: "/admin/organizations",
      title: "Organizations",
      text: "Customer companies and the e-mail domains that belong to them.",
      icon: IconBuildingSkyscraper,
    });
  if (can(me, "group.update") || can(me, "group.create"))
    admin.push({
      to: "/admin/groups",
      title: "Groups",
      text: "Teams of agents and what they may do.",
      icon: IconUsersGroup,
    });
  admin.push({
    to: "/account/tokens",
    title: "API tokens",
    text: "Personal tokens for scripts and integrations.",
    icon: IconKey,
  });

  const work: Shortcut[] = [
    {
      to: "/tickets",
      search: { view: "mine" },
      title: "My open tickets",
      text: "Everything assigned to you that is not resolved yet.",
      icon: IconUserCheck,
    },
    {
      to: "/tickets",
      search: { view: "unassigned" },
      title: "Unassigned",
      text: "New and open tickets waiting for someone to pick them up.",
      icon: IconInbox,
    },
    {
      to: "/tickets",
      title: "All tickets",
      text: "Search and filter incidents, service requests and problems.",
      icon: IconTicket,
    },
  ];

  const operations: Shortcut[] = [];
  if (can(me, "cmdb.read"))
    operations.push({
      to: "/cmdb",
      title: "CMDB",
      text: "Configuration items, their dependencies, and what an outage hits.",
      icon: IconTopologyStar3,
    });
  if (can(me, "change.read")) {
    operations.push(
      {
        to: "/changes",
        title: "Changes",
        text: "Requests for change: the eight questions, risk, CAB and work orders.",
        icon: IconArrowsExchange,
      },
      {
        to: "/changes/approvals",
        title: "My approvals",
        text: "Changes waiting for your decision as a CAB member.",
        icon: IconGavel,
      },
      {
        to: "/changes/calendar",
        title: "Change calendar",
        text: "What goes out when, with conflicts, freezes and maintenance windows.",
        icon: IconCalendarEvent,
      },
    );
  }

  return (
    <Container size="lg" px={0}>
      <PageHeader
        title={`${greeting()}, ${firstName}`}
        documentTitle="Home"
        description="This is your Steward workspace: work your tickets, set up your service desk, and see what is coming next."
      />
      {can(me, "ticket.read") && (
        <>
          <Title order={2} fz="lg" mb="sm">
            Service desk
          </Title>
          <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }} mb="xl">
            {work.map((s) => (
              <ShortcutCard key={s.title} {...s} />
            ))}
          </SimpleGrid>
        </>
      )}
      {operations.length > 0 && (
        <>
          <Title order={2} fz="lg" mb="sm">
            Configuration and change
          </Title>
          <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} mb="xl">
            {operations.map((s) => (
              <ShortcutCard key={s.to} {...s} />
            ))}
          </SimpleGrid>
        </>
      )}
      <Title order={2} fz="lg" mb="sm">
        Set up
      </Title>
      <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} mb="xl">
        {admin.map((s) => (
          <ShortcutCard key={s.to} {...s} />
        ))}
      </SimpleGrid>
      <Title order={2} fz="lg" mb="sm">
        Coming to your workspace
      </Title>
      <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }}>
        {areas.map(([key, area]) => (
          <ShortcutCard key={key} to={`/${key}`} title={area.title} text={area.summary} icon={area.icon} badge="Soon" />
        ))}
      </SimpleGrid>
    </Container>
  );
}
