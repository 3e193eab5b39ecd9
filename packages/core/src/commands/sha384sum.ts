/** sha384sum: prints or checks (-c) sha384 digests, as GNU sha384sum (see lib/text-checksum.ts). */
import type { CommandDefinition } from "../kernel/command-registry.ts";
import { DIGESTS, runDigestCommand } from "./lib/text-checksum.ts";

export const sha384sum: CommandDefinition = {
  name: "sha384sum",
  main: (ctx) => runDigestCommand(ctx, DIGESTS.sha384sum),
};
