/** sha1sum: prints or checks (-c) sha1 digests, as GNU sha1sum (see lib/text-checksum.ts). */
import type { CommandDefinition } from "../kernel/command-registry.ts";
import { DIGESTS, runDigestCommand } from "./lib/text-checksum.ts";

export const sha1sum: CommandDefinition = {
  name: "sha1sum",
  main: (ctx) => runDigestCommand(ctx, DIGESTS.sha1sum),
};
