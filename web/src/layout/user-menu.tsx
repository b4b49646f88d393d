import {
  Avatar,
  Group,
  Menu,
  Text,
  UnstyledButton,
  useComputedColorScheme,
  useMantineColorScheme,
} from "@mantine/core";
import { IconBell, IconChevronDown, IconKey, IconLogout, IconMoon, IconSun } from "@tabler/icons-react";
import { Link } from "@tanstack/react-router";
import { useLogout, useMe } from "../auth.tsx";

export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const first = parts[0]?.[0] ?? "?";
  const last = parts.length > 1 ? (parts[parts.length - 1]?.[0] ?? "") : "";
  return (first + last).toUpperCase();
}

export function UserMenu({ withTokens = true }: { withTokens?: boolean }) {
  const me = useMe();
  const logout = useLogout();
  const { setColorScheme } = useMantineColorScheme();
  const scheme = useComputedColorScheme("light");
  if (!me) return null;
  return (
    <Menu position="bottom-end" width={240} shadow="md" withinPortal>
      <Menu.Target>
        <UnstyledButton aria-label={`Account menu for ${me.name}`} px={6} py={4}>
          <Group gap={8} wrap="nowrap">
            <Avatar color="indigo" radius="xl" size={32}>
              {initials(me.name)}
            </Avatar>
            <Text fz="sm" fw={500} visibleFrom="sm" maw={180} truncate>
              {me.name}
            </Text>
            <IconChevronDown size={14} aria-hidden />
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>
          <Text fz="sm" fw={600} c="var(--mantine-color-text)" truncate>
            {me.name}
          </Text>
          <Text fz="xs" c="dimmed" truncate>
            {me.email}
          </Text>
        </Menu.Label>
        <Menu.Divider />
        {withTokens && (
          <>
            <Menu.Item component={Link} to="/account/notifications" leftSection={<IconBell size={16} aria-hidden />}>
              Notification settings
            </Menu.Item>
            <Menu.Item component={Link} to="/account/tokens" leftSection={<IconKey size={16} aria-hidden />}>
              API tokens
            </Menu.Item>
          </>
        )}
        <Menu.Item
          leftSection={scheme === "dark" ? <IconSun size={16} aria-hidden /> : <IconMoon size={16} aria-hidden />}
          onClick={() => setColorScheme(scheme === "dark" ? "light" : "dark")}
        >
          {scheme === "dark" ? "Light theme" : "Dark theme"}
        </Menu.Item>
        <Menu.Divider />
        <Menu.Item color="red" leftSection={<IconLogout size={16} aria-hidden />} onClick={() => void logout()}>
          Log out
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
