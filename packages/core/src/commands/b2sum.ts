/** b2sum: prints or checks (-c) b2 digests, as GNU b2sum (see lib/text-checksum.ts). */
import type { CommandDefinition } from "../kernel/command-registry.ts";
import { DIGESTS, runDigestCommand } from "./lib/text-checksum.ts";

export const b2sum: CommandDefinition = {
  name: "b2sum",
  main: (ctx) => runDigestCommand(ctx, DIGESTS.b2sum),
};
