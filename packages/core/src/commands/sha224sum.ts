/** sha224sum: prints or checks (-c) sha224 digests, as GNU sha224sum (see lib/text-checksum.ts). */
import type { CommandDefinition } from "../kernel/command-registry.ts";
import { DIGESTS, runDigestCommand } from "./lib/text-checksum.ts";

export const sha224sum: CommandDefinition = {
  name: "sha224sum",
  main: (ctx) => runDigestCommand(ctx, DIGESTS.sha224sum),
};
