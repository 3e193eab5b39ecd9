/** sha256sum: prints or checks (-c) sha256 digests, as GNU sha256sum (see lib/text-checksum.ts). */
import type { CommandDefinition } from "../kernel/command-registry.ts";
import { DIGESTS, runDigestCommand } from "./lib/text-checksum.ts";

export const sha256sum: CommandDefinition = {
  name: "sha256sum",
  main: (ctx) => runDigestCommand(ctx, DIGESTS.sha256sum),
};
