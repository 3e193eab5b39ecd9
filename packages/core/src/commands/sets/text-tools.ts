/** The "text-tools" command set: its owner adds each command here as it is written. */
import type { CommandDefinition } from "../../kernel/command-registry.ts";
import { b2sum } from "../b2sum.ts";
import { base32 } from "../base32.ts";
import { base64 } from "../base64.ts";
import { cksum } from "../cksum.ts";
import { column } from "../column.ts";
import { comm } from "../comm.ts";
import { csplit } from "../csplit.ts";
import { cut } from "../cut.ts";
import { hexdump } from "../hexdump.ts";
import { join } from "../join.ts";
import { md5sum } from "../md5sum.ts";
import { od } from "../od.ts";
import { paste } from "../paste.ts";
import { sha1sum } from "../sha1sum.ts";
import { sha224sum } from "../sha224sum.ts";
import { sha256sum } from "../sha256sum.ts";
import { sha384sum } from "../sha384sum.ts";
import { sha512sum } from "../sha512sum.ts";
import { sort } from "../sort.ts";
import { split } from "../split.ts";
import { strings } from "../strings.ts";
import { tr } from "../tr.ts";
import { uniq } from "../uniq.ts";
import { xxd } from "../xxd.ts";

export const TEXT_TOOL_COMMANDS: CommandDefinition[] = [
  b2sum,
  base32,
  base64,
  cksum,
  column,
  comm,
  csplit,
  cut,
  hexdump,
  join,
  md5sum,
  od,
  paste,
  sha1sum,
  sha224sum,
  sha256sum,
  sha384sum,
  sha512sum,
  sort,
  split,
  strings,
  tr,
  uniq,
  xxd,
];
