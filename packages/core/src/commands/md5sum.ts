/** md5sum: prints or checks (-c) md5 digests, as GNU md5sum (see lib/text-checksum.ts). */
import type { CommandDefinition } from "../kernel/command-registry.ts";
import { DIGESTS, runDigestCommand } from "./lib/text-checksum.ts";

export const md5sum: CommandDefinition = {
  name: "md5sum",
  main: (ctx) => runDigestCommand(ctx, DIGESTS.md5sum),
};
