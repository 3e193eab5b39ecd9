/**
 * Shared pieces of the real-agent end-to-end tests (agent-pi, agent-claude): the agent's
 * `session/update` payloads out of a transcript, and a host tool kit that records its calls.
 */
import { z } from "zod";
import { hostTool, type ToolKit, toolKit } from "../../tools/host-tool.ts";
import type { SessionEvent } from "../session-types.ts";

/** The `update` of every `session/update` notification, in order. */
export function sessionUpdates(events: SessionEvent[]): Array<Record<string, unknown>> {
  return events
    .filter((e) => e.event.method === "session/update")
    .map((e) => (e.event.params as { update: Record<string, unknown> }).update);
}

/** An `agentos-tracker createTicket` kit; `tickets` holds the inputs it was called with. */
export function trackerToolKit(): { kit: ToolKit; tickets: unknown[] } {
  const tickets: unknown[] = [];
  const kit = toolKit({
    name: "tracker",
    description: "The team's issue tracker",
    tools: {
      createTicket: hostTool({
        description: "Open a ticket",
        inputSchema: z.object({
          title: z.string().describe("Ticket title"),
          priority: z.enum(["low", "high"]).describe("Priority"),
        }),
        execute: (input) => {
          tickets.push(input);
          return { id: `T-${tickets.length}`, ...input };
        },
      }),
    },
  });
  return { kit, tickets };
}
