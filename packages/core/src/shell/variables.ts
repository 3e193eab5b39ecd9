/**
 * Shell variables with bash's model: dynamic scoping (a global scope plus one scope per
 * running function that has `local`s), scalars, sparse indexed arrays and associative arrays,
 * and the attributes of `declare` (-x -r -i -l -u -n -a -A). Values are JS strings.
 */

export const ATTR_EXPORT = 1;
export const ATTR_READONLY = 2;
export const ATTR_INTEGER = 4;
export const ATTR_LOWER = 8;
export const ATTR_UPPER = 16;
export const ATTR_NAMEREF = 32;

export interface Variable {
  /** Scalar value; undefined for a declared-but-unset variable (`local x`, `declare -a a`). */
  value: string | undefined;
  /** Indexed array (sparse JS array); present only for arrays. */
  indexed?: string[];
  /** Associative array. */
  assoc?: Map<string, string>;
  attrs: number;
}

/** Raised for assignments bash refuses; the message is the text after `bash: line N: `. */
export class VariableError extends Error {
  override name = "VariableError";
}

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function isValidName(name: string): boolean {
  return NAME_RE.test(name);
}

/** Keys of a sparse array in ascending order. */
export function arrayIndices(array: string[]): number[] {
  const keys: number[] = [];
  for (const k in array) keys.push(Number(k));
  return keys;
}

export function arrayValues(array: string[]): string[] {
  const values: string[] = [];
  for (const k in array) values.push(array[k]);
  return values;
}

const encoder = new TextEncoder();
/** bash's associative arrays hash keys into 1024 buckets (FNV-1, hashlib.c). */
const ASSOC_BUCKETS = 1024;

function bucketOf(key: string): number {
  let h = 2166136261;
  for (const byte of encoder.encode(key)) {
    h = Math.imul(h, 16777619) >>> 0;
    h = (h ^ byte) >>> 0;
  }
  return h & (ASSOC_BUCKETS - 1);
}

/**
 * Entries of an associative array in the order bash lists them: by hash bucket, and within a
 * bucket the most recently inserted first. Scripts print `${!m[@]}` in this order.
 */
export function assocEntries(map: Map<string, string>): [string, string][] {
  const entries = [...map.entries()].map((entry, index) => ({
    entry,
    index,
    bucket: bucketOf(entry[0]),
  }));
  entries.sort((a, b) => a.bucket - b.bucket || b.index - a.index);
  return entries.map((e) => e.entry);
}

export function cloneVariable(v: Variable): Variable {
  const copy: Variable = { value: v.value, attrs: v.attrs };
  if (v.indexed) copy.indexed = v.indexed.slice();
  if (v.assoc) copy.assoc = new Map(v.assoc);
  return copy;
}

export class Variables {
  /** scopes[0] is global; each function call with locals pushes one. */
  scopes: Map<string, Variable>[];
  /** Bumped when anything exported changes, so the environment can be cached. */
  envVersion = 0;
  /** Called for names the shell computes itself (RANDOM, LINENO, ...); undefined = not special. */
  dynamic?: (name: string) => string | undefined;

  constructor(scopes?: Map<string, Variable>[]) {
    this.scopes = scopes ?? [new Map()];
  }

  /** A deep copy, for a subshell. */
  clone(): Variables {
    const scopes = this.scopes.map((scope) => {
      const copy = new Map<string, Variable>();
      for (const [name, v] of scope) copy.set(name, cloneVariable(v));
      return copy;
    });
    const copy = new Variables(scopes);
    copy.dynamic = this.dynamic;
    return copy;
  }

  /** The variable named `name` itself (not following a nameref). */
  lookupOwn(name: string): Variable | undefined {
    return this.#find(name);
  }

  /** The variable `name` refers to, following namerefs; undefined when none exists. */
  lookup(name: string): Variable | undefined {
    for (let depth = 0; depth < 10; depth++) {
      const v = this.#find(name);
      if (!v || !(v.attrs & ATTR_NAMEREF) || v.value === undefined || v.value === "") return v;
      name = v.value;
    }
    return undefined;
  }

  /** The name a nameref chain ends at (the name itself if it is not a reference). */
  resolveName(name: string): string {
    for (let depth = 0; depth < 10; depth++) {
      const v = this.#find(name);
      if (!v || !(v.attrs & ATTR_NAMEREF) || !v.value) return name;
      name = v.value.replace(/\[.*$/, "");
    }
    return name;
  }

  #find(name: string): Variable | undefined {
    const scopes = this.scopes;
    for (let i = scopes.length - 1; i >= 0; i--) {
      const v = scopes[i].get(name);
      if (v) return v;
    }
    return undefined;
  }

  /** Scalar value: the variable's value, `${a[0]}` for arrays, or a dynamic value. */
  get(name: string): string | undefined {
    const v = this.lookup(name);
    if (v) {
      if (v.indexed) return v.indexed[0];
      if (v.assoc) return v.assoc.get("0");
      return v.value;
    }
    return this.dynamic?.(name);
  }

  /** For `${!prefix*}`: a variable with a value, or an array with elements. */
  isSetOrArray(name: string): boolean {
    const v = this.lookup(name);
    if (!v) return false;
    if (v.indexed) return v.indexed.length > 0;
    if (v.assoc) return v.assoc.size > 0;
    return v.value !== undefined;
  }

  isSet(name: string): boolean {
    return this.get(name) !== undefined;
  }

  /** Assigns a scalar (or element 0 of an array), applying -i/-l/-u and readonly checks. */
  set(name: string, value: string, options: { local?: boolean; append?: boolean } = {}): void {
    name = this.resolveName(name);
    let v = options.local ? this.scopes[this.scopes.length - 1].get(name) : this.#find(name);
    if (v && v.attrs & ATTR_READONLY) throw new VariableError(`${name}: readonly variable`);
    if (!v) {
      v = { value: undefined, attrs: 0 };
      this.scopes[options.local ? this.scopes.length - 1 : 0].set(name, v);
    }
    const old = v.indexed ? v.indexed[0] : v.assoc ? v.assoc.get("0") : v.value;
    const next = options.append ? (old ?? "") + value : value;
    if (v.indexed) v.indexed[0] = this.#transform(v, next, old, options.append);
    else if (v.assoc) v.assoc.set("0", this.#transform(v, next, old, options.append));
    else v.value = this.#transform(v, next, old, options.append);
    if (v.attrs & ATTR_EXPORT) this.envVersion++;
  }

  /** Applies the integer and case attributes to an assigned value. */
  #transform(
    v: Variable,
    value: string,
    old: string | undefined,
    append: boolean | undefined,
  ): string {
    if (v.attrs & ATTR_INTEGER && this.evaluate) {
      if (append)
        return String(this.evaluate(old || "0") + this.evaluate(value.slice((old ?? "").length)));
      return String(this.evaluate(value));
    }
    if (v.attrs & ATTR_LOWER) return value.toLowerCase();
    if (v.attrs & ATTR_UPPER) return value.toUpperCase();
    return value;
  }

  /** Evaluates arithmetic for `declare -i` variables (installed by the shell). */
  evaluate?: (expression: string) => bigint;

  /** Creates (or returns) the variable in the current function scope (`local`). */
  declareLocal(name: string): Variable {
    const scope = this.scopes[this.scopes.length - 1];
    let v = scope.get(name);
    if (!v) {
      const outer = this.#find(name);
      if (outer && outer.attrs & ATTR_READONLY && this.scopes.length > 1)
        throw new VariableError(`${name}: readonly variable`);
      v = { value: undefined, attrs: 0 };
      scope.set(name, v);
    }
    return v;
  }

  /** The variable in the global scope (or the innermost, when `local`), created if needed. */
  declare(name: string, local: boolean): Variable {
    if (local) return this.declareLocal(name);
    name = this.resolveName(name);
    let v = this.#find(name);
    if (!v) {
      v = { value: undefined, attrs: 0 };
      this.scopes[0].set(name, v);
    }
    return v;
  }

  /** Sets element `index` of an indexed array (converting a scalar to an array). */
  setIndexed(name: string, index: number, value: string, append = false): void {
    name = this.resolveName(name);
    let v = this.#find(name);
    if (v && v.attrs & ATTR_READONLY) throw new VariableError(`${name}: readonly variable`);
    if (!v) {
      v = { value: undefined, attrs: 0 };
      this.scopes[0].set(name, v);
    }
    if (v.assoc) {
      const key = String(index);
      const old = v.assoc.get(key);
      v.assoc.set(key, this.#transform(v, append ? (old ?? "") + value : value, old, append));
      return;
    }
    if (!v.indexed) {
      v.indexed = v.value === undefined ? [] : [v.value];
      v.value = undefined;
    }
    if (index < 0) {
      const len = v.indexed.length;
      if (len + index < 0) throw new VariableError(`${name}[${index}]: bad array subscript`);
      index += len;
    }
    const old = v.indexed[index];
    v.indexed[index] = this.#transform(v, append ? (old ?? "") + value : value, old, append);
    if (v.attrs & ATTR_EXPORT) this.envVersion++;
  }

  setAssoc(name: string, key: string, value: string, append = false): void {
    name = this.resolveName(name);
    const v = this.#find(name);
    if (!v?.assoc) throw new VariableError(`${name}: not an associative array`);
    if (v.attrs & ATTR_READONLY) throw new VariableError(`${name}: readonly variable`);
    const old = v.assoc.get(key);
    v.assoc.set(key, this.#transform(v, append ? (old ?? "") + value : value, old, append));
  }

  /** Replaces the whole value with an indexed array. */
  setArray(name: string, values: string[], local = false): void {
    name = this.resolveName(name);
    const v = local ? this.declareLocal(name) : this.declare(name, false);
    if (v.attrs & ATTR_READONLY) throw new VariableError(`${name}: readonly variable`);
    v.value = undefined;
    v.assoc = undefined;
    v.indexed = values.slice();
  }

  /** unset name: removes the innermost variable of that name (bash's dynamic unset). */
  unset(name: string): void {
    const target = this.resolveName(name);
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const v = this.scopes[i].get(target);
      if (!v) continue;
      if (v.attrs & ATTR_READONLY)
        throw new VariableError(`${target}: cannot unset: readonly variable`);
      if (i > 0) {
        // Unsetting a local leaves it declared-but-unset in that scope, hiding globals.
        v.value = undefined;
        v.indexed = undefined;
        v.assoc = undefined;
      } else this.scopes[0].delete(target);
      if (v.attrs & ATTR_EXPORT) this.envVersion++;
      return;
    }
  }

  unsetElement(name: string, key: string): void {
    const v = this.lookup(name);
    if (!v) return;
    if (v.attrs & ATTR_READONLY)
      throw new VariableError(`${name}: cannot unset: readonly variable`);
    if (v.assoc) v.assoc.delete(key);
    else if (v.indexed) {
      let index = Number(key);
      if (index < 0) index += v.indexed.length;
      delete v.indexed[index];
    } else if (key === "0") v.value = undefined;
  }

  /** Every visible variable name (innermost wins), sorted like `set` prints them. */
  names(): string[] {
    const seen = new Set<string>();
    for (const scope of this.scopes) for (const name of scope.keys()) seen.add(name);
    return [...seen].sort();
  }

  /** The environment for a child process: exported variables that have a value. */
  environment(): Record<string, string> {
    const env: Record<string, string> = {};
    const visible = new Map<string, Variable>();
    for (const scope of this.scopes) for (const [name, v] of scope) visible.set(name, v);
    for (const [name, v] of visible) {
      if (!(v.attrs & ATTR_EXPORT)) continue;
      const value = v.indexed || v.assoc ? undefined : v.value;
      if (value !== undefined) env[name] = value;
    }
    return env;
  }
}
