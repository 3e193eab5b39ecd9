/** The "files" command set: its owner adds each command here as it is written. */
import type { CommandDefinition } from "../../kernel/command-registry.ts";
import { basename } from "../basename.ts";
import { chmod } from "../chmod.ts";
import { chgrp, chown } from "../chown.ts";
import { cp } from "../cp.ts";
import { df } from "../df.ts";
import { dirname } from "../dirname.ts";
import { du } from "../du.ts";
import { file } from "../file.ts";
import { install } from "../install.ts";
import { ln } from "../ln.ts";
import { ls } from "../ls.ts";
import { mkdir } from "../mkdir.ts";
import { mktemp } from "../mktemp.ts";
import { mv } from "../mv.ts";
import { readlink } from "../readlink.ts";
import { realpath } from "../realpath.ts";
import { rm } from "../rm.ts";
import { rmdir } from "../rmdir.ts";
import { stat } from "../stat.ts";
import { touch } from "../touch.ts";
import { tree } from "../tree.ts";
import { truncate } from "../truncate.ts";

export const FILE_COMMANDS: CommandDefinition[] = [
  basename,
  chgrp,
  chmod,
  chown,
  cp,
  df,
  dirname,
  du,
  file,
  install,
  ln,
  ls,
  mkdir,
  mktemp,
  mv,
  readlink,
  realpath,
  rm,
  rmdir,
  stat,
  touch,
  tree,
  truncate,
];
