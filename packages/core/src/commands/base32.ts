/** base32: encodes or decodes (-d, -i) base32 data, wrapping at -w COLS (76 by default), as GNU base32. */
import type { CommandDefinition } from "../kernel/command-registry.ts";
import { BASE32, runBaseCodec } from "./lib/text-basenc.ts";

export const base32: CommandDefinition = {
  name: "base32",
  main: (ctx) => runBaseCodec(ctx, BASE32),
};
