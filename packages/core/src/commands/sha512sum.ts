/** sha512sum: prints or checks (-c) sha512 digests, as GNU sha512sum (see lib/text-checksum.ts). */
import type { CommandDefinition } from "../kernel/command-registry.ts";
import { DIGESTS, runDigestCommand } from "./lib/text-checksum.ts";

export const sha512sum: CommandDefinition = {
  name: "sha512sum",
  main: (ctx) => runDigestCommand(ctx, DIGESTS.sha512sum),
};
