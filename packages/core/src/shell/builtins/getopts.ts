/** `getopts optstring name [arg ...]` with OPTIND/OPTARG and silent mode. */
import type { Builtin } from "./index.ts";

const getopts: Builtin = async (sh, argv) => {
  const optstring = argv[1];
  const name = argv[2];
  if (optstring === undefined || name === undefined) {
    sh.usage("getopts: usage: getopts optstring name [arg ...]");
    return 2;
  }
  const args = argv.length > 3 ? argv.slice(3) : sh.positional;
  const silent = optstring.startsWith(":");
  const spec = silent ? optstring.slice(1) : optstring;
  let optind = Number.parseInt(sh.vars.get("OPTIND") ?? "1", 10);
  if (!(optind >= 1)) optind = 1;
  // Position inside a group like -abc; reset when OPTIND was changed by the script.
  if (sh.getoptsState.optind !== optind) sh.getoptsState = { optind, offset: 1 };
  const arg = args[optind - 1];
  const finish = (): number => {
    sh.assignVariable(name, "?");
    sh.vars.unset("OPTARG");
    return 1;
  };
  if (arg === undefined || !arg.startsWith("-") || arg === "-") return finish();
  if (arg === "--") {
    sh.assignVariable("OPTIND", String(optind + 1));
    sh.getoptsState = { optind: optind + 1, offset: 1 };
    return finish();
  }
  const offset = sh.getoptsState.offset;
  const c = arg[offset];
  let nextOffset = offset + 1;
  let nextInd = optind;
  const advance = (): void => {
    if (nextOffset >= arg.length) {
      nextInd++;
      nextOffset = 1;
    }
  };
  const at = spec.indexOf(c);
  const opterr = sh.vars.get("OPTERR") !== "0";
  if (at < 0 || c === ":") {
    advance();
    sh.assignVariable("OPTIND", String(nextInd));
    sh.getoptsState = { optind: nextInd, offset: nextOffset };
    if (silent) {
      sh.assignVariable(name, "?");
      sh.assignVariable("OPTARG", c);
    } else {
      if (opterr) await sh.err(`${sh.scriptName}: illegal option -- ${c}\n`);
      sh.assignVariable(name, "?");
      sh.vars.unset("OPTARG");
    }
    return 0;
  }
  if (spec[at + 1] === ":") {
    let value: string | undefined;
    if (nextOffset < arg.length) {
      value = arg.slice(nextOffset);
      nextInd++;
    } else {
      value = args[optind];
      nextInd += 2;
    }
    nextOffset = 1;
    sh.assignVariable("OPTIND", String(nextInd));
    sh.getoptsState = { optind: nextInd, offset: 1 };
    if (value === undefined) {
      if (silent) {
        sh.assignVariable(name, ":");
        sh.assignVariable("OPTARG", c);
      } else {
        if (opterr) await sh.err(`${sh.scriptName}: option requires an argument -- ${c}\n`);
        sh.assignVariable(name, "?");
        sh.vars.unset("OPTARG");
      }
      return 0;
    }
    sh.assignVariable(name, c);
    sh.assignVariable("OPTARG", value);
    return 0;
  }
  advance();
  sh.assignVariable("OPTIND", String(nextInd));
  sh.getoptsState = { optind: nextInd, offset: nextOffset };
  sh.assignVariable(name, c);
  sh.vars.unset("OPTARG");
  return 0;
};

export const GETOPTS_BUILTINS: Array<[string, Builtin]> = [["getopts", getopts]];
