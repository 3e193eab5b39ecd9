/** Backslash escapes of `echo -e` and of prompt strings (PS1, PS4, `${x@P}`). */
import type { Shell } from "./shell.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

const SIMPLE: Record<string, number> = {
  a: 7,
  b: 8,
  e: 27,
  E: 27,
  f: 12,
  n: 10,
  r: 13,
  t: 9,
  v: 11,
  "\\": 92,
};

/**
 * `echo -e` escapes: \a \b \c (stop) \e \f \n \r \t \v \\ \0nnn \xHH \uHHHH \UHHHHHHHH. Works
 * on bytes so `\xff` yields the single byte 0xff.
 */
export function decodeEchoEscapes(value: string): {
  bytes: Uint8Array;
  text: string;
  stop: boolean;
} {
  const out: number[] = [];
  const push = (s: string): void => {
    for (const b of encoder.encode(s)) out.push(b);
  };
  let stop = false;
  let i = 0;
  while (i < value.length) {
    const c = value[i];
    if (c !== "\\" || i + 1 >= value.length) {
      let j = value.indexOf("\\", i + 1);
      if (j < 0 || j === value.length - 1) j = value.length;
      push(value.slice(i, j));
      i = j;
      continue;
    }
    const e = value[i + 1];
    if (e in SIMPLE) {
      out.push(SIMPLE[e]);
      i += 2;
    } else if (e === "c") {
      stop = true;
      break;
    } else if (e === "0") {
      let j = i + 2;
      let n = 0;
      while (j < value.length && j < i + 5 && value[j] >= "0" && value[j] <= "7")
        n = n * 8 + Number(value[j++]);
      out.push(n & 0xff);
      i = j;
    } else if (e >= "1" && e <= "7") {
      let j = i + 1;
      let n = 0;
      while (j < value.length && j < i + 4 && value[j] >= "0" && value[j] <= "7")
        n = n * 8 + Number(value[j++]);
      out.push(n & 0xff);
      i = j;
    } else if (e === "x") {
      const m = /^[0-9a-fA-F]{1,2}/.exec(value.slice(i + 2));
      if (!m) {
        push("\\x");
        i += 2;
      } else {
        out.push(Number.parseInt(m[0], 16));
        i += 2 + m[0].length;
      }
    } else if (e === "u" || e === "U") {
      const m = (e === "u" ? /^[0-9a-fA-F]{1,4}/ : /^[0-9a-fA-F]{1,8}/).exec(value.slice(i + 2));
      if (!m) {
        push(`\\${e}`);
        i += 2;
      } else {
        const code = Number.parseInt(m[0], 16);
        push(code <= 0x10ffff ? String.fromCodePoint(code) : "");
        i += 2 + m[0].length;
      }
    } else {
      push(`\\${e}`);
      i += 2;
    }
  }
  const bytes = Uint8Array.from(out);
  return { bytes, text: decoder.decode(bytes), stop };
}

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** Prompt escapes (\u \h \w \$ ...). Parameter expansion in prompts is not done here. */
export function expandPromptString(sh: Shell, value: string): string {
  const pad = (n: number): string => String(n).padStart(2, "0");
  let out = "";
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c !== "\\" || i + 1 >= value.length) {
      out += c;
      continue;
    }
    const e = value[++i];
    const now = new Date();
    const home = sh.vars.get("HOME") ?? "";
    const cwd = sh.vars.get("PWD") ?? sh.ctx.cwd;
    switch (e) {
      case "u":
        out += sh.vars.get("USER") ?? (sh.ctx.uid === 0 ? "root" : "user");
        break;
      case "h":
        out += (sh.vars.get("HOSTNAME") ?? "agentos").split(".")[0];
        break;
      case "H":
        out += sh.vars.get("HOSTNAME") ?? "agentos";
        break;
      case "w":
        out +=
          home && (cwd === home || cwd.startsWith(`${home}/`)) ? `~${cwd.slice(home.length)}` : cwd;
        break;
      case "W":
        out += cwd === home ? "~" : cwd === "/" ? "/" : cwd.slice(cwd.lastIndexOf("/") + 1);
        break;
      case "$":
        out += sh.ctx.uid === 0 ? "#" : "$";
        break;
      case "n":
        out += "\n";
        break;
      case "r":
        out += "\r";
        break;
      case "s":
        out += sh.scriptName.slice(sh.scriptName.lastIndexOf("/") + 1);
        break;
      case "v":
        out += "5.2";
        break;
      case "V":
        out += "5.2.15";
        break;
      case "d":
        out += `${DAYS[now.getDay()]} ${MONTHS[now.getMonth()]} ${pad(now.getDate())}`;
        break;
      case "t":
        out += `${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())}`;
        break;
      case "T":
        out += `${pad(now.getHours() % 12 || 12)}:${pad(now.getMinutes())}:${pad(now.getSeconds())}`;
        break;
      case "@":
        out += `${pad(now.getHours() % 12 || 12)}:${pad(now.getMinutes())} ${now.getHours() < 12 ? "AM" : "PM"}`;
        break;
      case "A":
        out += `${pad(now.getHours())}:${pad(now.getMinutes())}`;
        break;
      case "j":
        out += String(sh.jobs.jobs.length);
        break;
      case "#":
      case "!":
        out += String(sh.history.length + 1);
        break;
      case "e":
        out += "\x1b";
        break;
      case "a":
        out += "\x07";
        break;
      case "[":
      case "]":
        break;
      case "\\":
        out += "\\";
        break;
      default:
        if (e >= "0" && e <= "7") {
          const m = /^[0-7]{1,3}/.exec(value.slice(i));
          out += String.fromCharCode(Number.parseInt(m![0], 8));
          i += m![0].length - 1;
        } else out += `\\${e}`;
    }
  }
  return out;
}
