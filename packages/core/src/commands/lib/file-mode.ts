/**
 * File mode helpers: the "drwxr-xr-x" string of ls/stat, and GNU chmod's mode language
 * (octal, or symbolic [ugoa]*[-+=]([rwxXst]*|[ugo]) lists), ported from gnulib modechange.c.
 */
import {
  S_IFBLK,
  S_IFCHR,
  S_IFDIR,
  S_IFIFO,
  S_IFLNK,
  S_IFMT,
  S_IFSOCK,
  S_ISGID,
  S_ISUID,
  S_ISVTX,
} from "../../fs/types.ts";

export const CHMOD_MODE_BITS = 0o7777;

export function typeChar(mode: number): string {
  switch (mode & S_IFMT) {
    case S_IFDIR:
      return "d";
    case S_IFLNK:
      return "l";
    case S_IFCHR:
      return "c";
    case S_IFBLK:
      return "b";
    case S_IFIFO:
      return "p";
    case S_IFSOCK:
      return "s";
    default:
      return "-";
  }
}

/** The nine permission characters (with s/S/t/T), as strmode gives after the type. */
export function permString(mode: number): string {
  const rwx = (r: number, w: number, x: number, special: number, letter: string): string =>
    (mode & r ? "r" : "-") +
    (mode & w ? "w" : "-") +
    (mode & special ? (mode & x ? letter : letter.toUpperCase()) : mode & x ? "x" : "-");
  return (
    rwx(0o400, 0o200, 0o100, S_ISUID, "s") +
    rwx(0o40, 0o20, 0o10, S_ISGID, "s") +
    rwx(0o4, 0o2, 0o1, S_ISVTX, "t")
  );
}

/** "drwxr-xr-x" */
export function modeString(mode: number): string {
  return typeChar(mode) + permString(mode);
}

interface ModeChange {
  op: string;
  flag: "ordinary" | "copy" | "xifx";
  affected: number;
  value: number;
  mentioned: number;
}

export type CompiledMode = ModeChange[];

/** Parses a chmod mode; undefined when invalid. */
export function compileMode(text: string): CompiledMode | undefined {
  if (/^[0-7]+$/.test(text)) {
    let octal = 0;
    for (const c of text) {
      octal = octal * 8 + Number(c);
      if (octal > 0o7777) return undefined;
    }
    const mentioned =
      text.length < 5 ? (octal & (S_ISUID | S_ISGID)) | S_ISVTX | 0o777 : CHMOD_MODE_BITS;
    return [{ op: "=", flag: "ordinary", affected: CHMOD_MODE_BITS, value: octal, mentioned }];
  }
  const changes: ModeChange[] = [];
  let i = 0;
  for (;;) {
    let affected = 0;
    for (; ; i++) {
      const c = text[i];
      if (c === "u") affected |= S_ISUID | 0o700;
      else if (c === "g") affected |= S_ISGID | 0o70;
      else if (c === "o") affected |= S_ISVTX | 0o7;
      else if (c === "a") affected |= CHMOD_MODE_BITS;
      else if (c === "=" || c === "+" || c === "-") break;
      else return undefined;
    }
    do {
      const op = text[i++];
      let value = 0;
      let flag: ModeChange["flag"] = "copy";
      const c = text[i];
      if (c === "u") {
        value = 0o700;
        i++;
      } else if (c === "g") {
        value = 0o70;
        i++;
      } else if (c === "o") {
        value = 0o7;
        i++;
      } else {
        flag = "ordinary";
        for (; ; i++) {
          const v = text[i];
          if (v === "r") value |= 0o444;
          else if (v === "w") value |= 0o222;
          else if (v === "x") value |= 0o111;
          else if (v === "X") flag = "xifx";
          else if (v === "s") value |= S_ISUID | S_ISGID;
          else if (v === "t") value |= S_ISVTX;
          else break;
        }
      }
      changes.push({
        op,
        flag,
        affected,
        value,
        mentioned: affected ? affected & value : value,
      });
    } while (text[i] === "=" || text[i] === "+" || text[i] === "-");
    if (i >= text.length) return changes;
    if (text[i] !== ",") return undefined;
    i++;
  }
}

/** Applies a compiled mode to `oldMode` (gnulib mode_adjust). Returns permission bits only. */
export function adjustMode(
  oldMode: number,
  isDir: boolean,
  umask: number,
  changes: CompiledMode,
): number {
  let newMode = oldMode & CHMOD_MODE_BITS;
  for (const change of changes) {
    const affected = change.affected;
    const omit = (isDir ? S_ISUID | S_ISGID : 0) & ~change.mentioned;
    let value = change.value;
    if (change.flag === "copy") {
      value &= newMode;
      value |=
        (value & 0o444 ? 0o444 : 0) | (value & 0o222 ? 0o222 : 0) | (value & 0o111 ? 0o111 : 0);
    } else if (change.flag === "xifx") {
      if (newMode & 0o111 || isDir) value |= 0o111;
    }
    value &= (affected ? affected : ~umask) & ~omit;
    if (change.op === "=") {
      const preserved = (affected ? ~affected : 0) | omit;
      newMode = (newMode & preserved) | value;
    } else if (change.op === "+") newMode |= value;
    else newMode &= ~value;
  }
  return newMode & CHMOD_MODE_BITS;
}
