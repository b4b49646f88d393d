import { AppShell, Burger, Group, ScrollArea, Text } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { Outlet } from "@tanstack/react-router";
import { NotificationBell } from "../pages/notifications/notification-bell.tsx";
import { AgentNav } from "./agent-nav.tsx";
import { Logo } from "./logo.tsx";
import { UserMenu } from "./user-menu.tsx";

export function AgentShell() {
  const [opened, { toggle, close }] = useDisclosure(false);
  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 248, breakpoint: "sm", collapsed: { mobile: !opened } }}
      padding={{ base: "md", sm: "xl" }}
    >
      <a className="steward-skip-link" href="#main">
        Skip to content
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={opened ? "Close navigation" : "Open navigation"}
              aria-expanded={opened}
              aria-controls="steward-navbar"
            />
            <Logo subtitle="Service desk" />
          </Group>
          <Group gap={4} wrap="nowrap">
            <NotificationBell />
            <UserMenu />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar
        id="steward-navbar"
        className="steward-navbar"
        data-closed={opened ? undefined : true}
        p="sm"
        aria-label="Main navigation"
      >
        <AppShell.Section grow component={ScrollArea}>
          <AgentNav onNavigate={close} />
        </AppShell.Section>
        <AppShell.Section>
          <Text fz="xs" c="dimmed" px="sm" py={6}>
            Steward · open-source ITSM
          </Text>
        </AppShell.Section>
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1}>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
