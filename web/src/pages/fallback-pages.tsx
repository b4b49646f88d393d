import { Button, Center, Code, Loader, Stack, Text, Title } from "@mantine/core";
import { type ErrorComponentProps, Link, useRouter } from "@tanstack/react-router";
import { errorMessage } from "../lib/notify.ts";

export function NotFoundPage() {
  return (
    <Center mih="60dvh" p="md">
      <Stack align="center" gap="sm" maw={420} ta="center">
        <Text fz={56} fw={800} c="indigo" lh={1}>
          404
        </Text>
        <Title order={1} fz={24}>
          Page not found
        </Title>
        <Text c="dimmed">The page you were looking for does not exist or has moved.</Text>
        <Button component={Link} to="/" mt="sm">
          Go home
        </Button>
      </Stack>
    </Center>
  );
}

export function ErrorPage({ error, reset }: ErrorComponentProps) {
  const router = useRouter();
  return (
    <Center mih="60dvh" p="md">
      <Stack align="center" gap="sm" maw={520} ta="center">
        <Title order={1} fz={24}>
          Something went wrong
        </Title>
        <Text c="dimmed">This page could not be shown. Try again in a moment.</Text>
        <Code block>{errorMessage(error)}</Code>
        <Button
          mt="sm"
          onClick={() => {
            reset();
            void router.invalidate();
          }}
        >
          Try again
        </Button>
      </Stack>
    </Center>
  );
}

export function PendingPage() {
  return (
    <Center mih="40dvh">
      <Loader aria-label="Loading" />
    </Center>
  );
}
