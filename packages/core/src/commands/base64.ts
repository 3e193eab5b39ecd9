/** base64: encodes or decodes (-d, -i) base64 data, wrapping at -w COLS (76 by default), as GNU base64. */
import type { CommandDefinition } from "../kernel/command-registry.ts";
import { BASE64, runBaseCodec } from "./lib/text-basenc.ts";

export const base64: CommandDefinition = {
  name: "base64",
  main: (ctx) => runBaseCodec(ctx, BASE64),
};
