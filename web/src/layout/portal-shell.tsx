import { AppShell, Button, Container, Group } from "@mantine/core";
import { IconLayoutDashboard } from "@tabler/icons-react";
import { Link, Outlet } from "@tanstack/react-router";
import { useMe } from "../auth.tsx";
import { Logo } from "./logo.tsx";
import { UserMenu } from "./user-menu.tsx";

/** The customer frame: a header, no side navigation. */
export function PortalShell() {
  const me = useMe();
  return (
    <AppShell header={{ height: 60 }} padding={0}>
      <a className="steward-skip-link" href="#main">
        Skip to content
      </a>
      <AppShell.Header>
        <Container size="lg" h="100%">
          <Group h="100%" justify="space-between" wrap="nowrap">
            <Logo subtitle="Support portal" />
            <Group gap="xs" wrap="nowrap">
              {me?.kind === "agent" && (
                <Button
                  component={Link}
                  to="/"
                  variant="subtle"
                  size="compact-sm"
                  leftSection={<IconLayoutDashboard size={16} aria-hidden />}
                  visibleFrom="xs"
                >
                  Agent workspace
                </Button>
              )}
              <UserMenu withTokens={me?.kind === "agent"} />
            </Group>
          </Group>
        </Container>
      </AppShell.Header>
      <AppShell.Main id="main" tabIndex={-1}>
        <Container size="lg" py="xl">
          <Outlet />
        </Container>
      </AppShell.Main>
    </AppShell>
  );
}
