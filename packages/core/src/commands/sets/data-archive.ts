/** The "data-archive" command set: its owner adds each command here as it is written. */
import type { CommandDefinition } from "../../kernel/command-registry.ts";
import { bc } from "../bc.ts";
import { expr } from "../expr.ts";
import { gunzip, gzip, zcat } from "../gzip.ts";
import { jq } from "../jq.ts";
import { tar } from "../tar.ts";
import { unzip } from "../unzip.ts";
import { zip } from "../zip.ts";

export const DATA_ARCHIVE_COMMANDS: CommandDefinition[] = [
  bc,
  expr,
  gunzip,
  gzip,
  jq,
  tar,
  unzip,
  zcat,
  zip,
];
