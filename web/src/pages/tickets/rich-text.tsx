import { Box } from "@mantine/core";

/** Server-sanitized HTML (descriptions, replies). The server's allow-list is the only reason this is safe. */
export function RichText({ html, empty = "No description." }: { html: string; empty?: string }) {
  if (!html.trim()) {
    return (
      <Box c="dimmed" fz="sm" fs="italic">
        {empty}
      </Box>
    );
  }
  // biome-ignore lint/security/noDangerouslySetInnerHtml: sanitized by the server on the way in (platform/html.ts)
  return <div className="steward-rich-text" dangerouslySetInnerHTML={{ __html: html }} />;
}
