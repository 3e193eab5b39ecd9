/** declare/typeset, local, export, readonly, unset, shift, let. */
import type { Assignment } from "../ast.ts";
import { CommandFailure } from "../control.ts";
import { quoteForDeclare } from "../quoting.ts";
import type { Shell } from "../shell.ts";
import {
  ATTR_EXPORT,
  ATTR_INTEGER,
  ATTR_LOWER,
  ATTR_NAMEREF,
  ATTR_READONLY,
  ATTR_UPPER,
  arrayIndices,
  assocEntries,
  isValidName,
  type Variable,
  VariableError,
} from "../variables.ts";
import type { Builtin } from "./index.ts";

const FLAG_ATTRS: Record<string, number> = {
  x: ATTR_EXPORT,
  r: ATTR_READONLY,
  i: ATTR_INTEGER,
  l: ATTR_LOWER,
  u: ATTR_UPPER,
  n: ATTR_NAMEREF,
};

/** `declare -p` text for one variable. */
export function describeVariable(name: string, v: Variable): string {
  let flags = "";
  if (v.indexed) flags += "a";
  if (v.assoc) flags += "A";
  if (v.attrs & ATTR_INTEGER) flags += "i";
  if (v.attrs & ATTR_LOWER) flags += "l";
  if (v.attrs & ATTR_NAMEREF) flags += "n";
  if (v.attrs & ATTR_READONLY) flags += "r";
  if (v.attrs & ATTR_UPPER) flags += "u";
  if (v.attrs & ATTR_EXPORT) flags += "x";
  const head = `declare -${flags || "-"} ${name}`;
  if (v.indexed) {
    const items = arrayIndices(v.indexed).map((i) => `[${i}]=${quoteForDeclare(v.indexed![i])}`);
    return `${head}=(${items.join(" ")})`;
  }
  if (v.assoc) {
    const items = assocEntries(v.assoc).map(
      ([k, val]) => `[${quoteKey(k)}]=${quoteForDeclare(val)}`,
    );
    return `${head}=(${items.map((i) => `${i} `).join("")})`;
  }
  if (v.value === undefined) return head;
  return `${head}=${quoteForDeclare(v.value)}`;
}

function quoteKey(key: string): string {
  return /^[A-Za-z0-9_.-]+$/.test(key) ? key : quoteForDeclare(key);
}

interface DeclareMode {
  name: string;
  local: boolean;
}

async function declareLike(sh: Shell, argv: string[], mode: DeclareMode): Promise<number> {
  let set = 0;
  let clear = 0;
  let print = false;
  let functions = false;
  let functionNames = false;
  let global = false;
  let indexed = false;
  let assoc = false;
  let i = 1;
  for (; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") {
      i++;
      break;
    }
    if (!/^[-+][a-zA-Z]+$/.test(arg)) break;
    const on = arg[0] === "-";
    for (const c of arg.slice(1)) {
      if (c === "n" && mode.name === "export") {
        // export -n takes the export attribute away (it is not a nameref flag here).
        if (on) clear |= ATTR_EXPORT;
      } else if (c in FLAG_ATTRS) {
        if (on) set |= FLAG_ATTRS[c];
        else clear |= FLAG_ATTRS[c];
      } else if (c === "p") print = true;
      else if (c === "f") functions = true;
      else if (c === "F") functionNames = true;
      else if (c === "g") global = true;
      else if (c === "a") indexed = on;
      else if (c === "A") assoc = on;
      else if (c === "t") continue;
      else {
        sh.error(`${mode.name}: ${arg[0]}${c}: invalid option`);
        sh.error(
          `${mode.name}: usage: ${mode.name} [-aAfFgiIlnrtux] [name[=value] ...] or ${mode.name} -p [-aAfFilnrtux] [name ...]`,
        );
        return 2;
      }
    }
  }
  if (mode.name === "export") set |= ATTR_EXPORT;
  if (mode.name === "readonly") set |= ATTR_READONLY;
  const local = mode.local && !global;
  if (mode.local && sh.functionStack.length === 0 && !global) {
    if (mode.name === "local") {
      sh.error("local: can only be used in a function");
      return 1;
    }
  }
  const names = argv.slice(i);
  if (functions || functionNames) {
    let status = 0;
    const list = names.length ? names : [...sh.functions.keys()].sort();
    for (const name of list) {
      const fn = sh.functions.get(name);
      if (!fn) {
        status = 1;
        continue;
      }
      if (functionNames) await sh.out(`declare -f ${name}\n`);
      else await sh.out(`${fn.source}\n`);
    }
    return status;
  }
  if (names.length === 0 || (print && names.length > 0)) {
    if (!print && names.length === 0 && set === 0 && !indexed && !assoc) {
      // `declare` alone lists variables like `set` without functions.
      print = true;
    }
    // `local` alone lists the function's own variables, whatever the options.
    const localsOnly = mode.name === "local" && names.length === 0;
    const scope = sh.vars.scopes[sh.vars.scopes.length - 1];
    const listing = names.length ? names : localsOnly ? [...scope.keys()].sort() : sh.vars.names();
    let status = 0;
    let text = "";
    for (const name of listing) {
      if (localsOnly) {
        const v = scope.get(name);
        if (v) text += `${describeVariable(name, v)}\n`;
        continue;
      }
      const v = sh.vars.lookup(name);
      if (!v) {
        if (names.length) {
          sh.error(`${mode.name}: ${name}: not found`);
          status = 1;
        }
        continue;
      }
      if (set && (v.attrs & set) !== set) continue;
      if (indexed && !v.indexed) continue;
      if (assoc && !v.assoc) continue;
      if (
        !names.length &&
        v.value === undefined &&
        !v.indexed &&
        !v.assoc &&
        mode.name !== "declare"
      ) {
        // export -p lists declared-but-unset exports as `declare -x NAME`.
      }
      text += `${describeVariable(name, v)}\n`;
    }
    await sh.out(text);
    return status;
  }
  let status = 0;
  const pending = sh.declarationAssignments;
  for (let k = i; k < argv.length; k++) {
    const arg = argv[k];
    const assignment: Assignment | undefined = pending?.get(k);
    const m = /^([A-Za-z_][A-Za-z0-9_]*)(\[.*\])?(\+?=)?/s.exec(arg);
    const name = assignment?.name ?? m?.[1];
    if (!name || !isValidName(name) || (m && m[0].length < arg.length && !m[3] && !assignment)) {
      sh.error(`${mode.name}: \`${arg}': not a valid identifier`);
      status = 1;
      continue;
    }
    try {
      if (clear & ATTR_EXPORT && mode.name === "export" && !m?.[3] && !assignment) {
        const v = sh.vars.lookup(name);
        if (v) v.attrs &= ~ATTR_EXPORT;
        sh.vars.envVersion++;
        continue;
      }
      const existing = local ? undefined : sh.vars.lookup(name);
      if (existing && existing.attrs & ATTR_READONLY && (m?.[3] || assignment)) {
        sh.error(`${name}: readonly variable`);
        status = 1;
        continue;
      }
      const v = sh.vars.declare(name, local);
      if (assoc && !v.assoc) {
        if (v.indexed) {
          sh.error(`${mode.name}: ${name}: cannot convert indexed to associative array`);
          status = 1;
          continue;
        }
        v.assoc = new Map();
        v.value = undefined;
      }
      if (indexed && !v.indexed && !v.assoc) {
        v.indexed = v.value === undefined ? [] : [v.value];
        v.value = undefined;
      }
      v.attrs = (v.attrs | (set & ~ATTR_READONLY)) & ~clear;
      if (assignment) {
        const ok = await sh.performAssignment(assignment, local);
        if (!ok) status = 1;
      } else if (m?.[3]) {
        const value = arg.slice(m[0].length);
        if (m[2]) {
          const sub = m[2].slice(1, -1);
          if (v.assoc) sh.vars.setAssoc(name, sub, value, m[3] === "+=");
          else sh.vars.setIndexed(name, Number(sh.arithmeticText(sub)), value, m[3] === "+=");
        } else sh.assignVariable(name, value, { local, append: m[3] === "+=" });
      } else if (
        local &&
        v.value === undefined &&
        !v.indexed &&
        !v.assoc &&
        sh.shopt.localvar_inherit
      ) {
        v.value = sh.vars.get(name);
      }
      if (set & ATTR_READONLY) v.attrs |= ATTR_READONLY;
      if (set & ATTR_EXPORT || clear & ATTR_EXPORT) sh.vars.envVersion++;
    } catch (err) {
      if (err instanceof VariableError) {
        sh.error(err.message);
        status = 1;
      } else if (err instanceof CommandFailure) status = err.status;
      else throw err;
    }
  }
  return status;
}

const unset: Builtin = async (sh, argv) => {
  let mode: "auto" | "v" | "f" = "auto";
  let i = 1;
  for (; i < argv.length && /^-./.test(argv[i]); i++) {
    if (argv[i] === "--") {
      i++;
      break;
    }
    const bad = /[^vfn]/.exec(argv[i].slice(1));
    if (bad) {
      sh.error(`unset: -${bad[0]}: invalid option`);
      sh.usage("unset: usage: unset [-f] [-v] [-n] [name ...]");
      return 2;
    }
    if (argv[i].includes("f")) mode = "f";
    else if (argv[i].includes("v")) mode = "v";
  }
  let status = 0;
  for (const arg of argv.slice(i)) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:\[(.*)\])?$/s.exec(arg);
    if (mode === "f") {
      sh.functions.delete(arg);
      continue;
    }
    if (!m) {
      // Without -v the name may still be a function's, so bash says nothing.
      if (mode === "auto") continue;
      sh.error(`unset: \`${arg}': not a valid identifier`);
      status = 1;
      continue;
    }
    try {
      if (m[2] !== undefined) {
        const v = sh.vars.lookup(m[1]);
        if (m[2] === "@" || m[2] === "*") sh.vars.unset(m[1]);
        else if (v?.assoc) sh.vars.unsetElement(m[1], m[2]);
        else sh.vars.unsetElement(m[1], String(sh.arithmeticText(m[2])));
      } else if (mode === "auto" && !sh.vars.lookup(m[1]) && sh.functions.has(m[1])) {
        sh.functions.delete(m[1]);
      } else sh.vars.unset(m[1]);
    } catch (err) {
      if (err instanceof VariableError) {
        sh.error(`unset: ${err.message}`);
        status = 1;
      } else throw err;
    }
  }
  return status;
};

const shift: Builtin = async (sh, argv) => {
  let n = 1;
  if (argv[1] !== undefined) {
    if (/^-\d+$/.test(argv[1])) {
      sh.error(`shift: ${argv[1]}: shift count out of range`);
      return 1;
    }
    if (!/^\d+$/.test(argv[1])) {
      sh.error(`shift: ${argv[1]}: numeric argument required`);
      return 1;
    }
    n = Number(argv[1]);
  }
  if (n > sh.positional.length) {
    if (sh.shopt.shift_verbose) sh.error(`shift: ${n}: shift count out of range`);
    return 1;
  }
  sh.positional = sh.positional.slice(n);
  return 0;
};

const letBuiltin: Builtin = async (sh, argv) => {
  if (argv.length < 2) {
    sh.error("let: expression expected");
    return 1;
  }
  let last = 0n;
  try {
    for (const expression of argv.slice(1)) last = sh.arithmeticText(expression, "let: ");
  } catch (err) {
    if (err instanceof CommandFailure) return 1;
    throw err;
  }
  return last !== 0n ? 0 : 1;
};

export const VARIABLE_BUILTINS: Array<[string, Builtin]> = [
  ["declare", (sh, argv) => declareLike(sh, argv, { name: "declare", local: true })],
  ["typeset", (sh, argv) => declareLike(sh, argv, { name: "typeset", local: true })],
  ["local", (sh, argv) => declareLike(sh, argv, { name: "local", local: true })],
  ["export", (sh, argv) => declareLike(sh, argv, { name: "export", local: false })],
  ["readonly", (sh, argv) => declareLike(sh, argv, { name: "readonly", local: false })],
  ["unset", unset],
  ["shift", shift],
  ["let", letBuiltin],
];
