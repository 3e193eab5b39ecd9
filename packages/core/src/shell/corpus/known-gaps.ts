/**
 * Known differences between the VM and GNU bash + coreutils: minimal differential cases that
 * fail today. corpus.test.ts runs them as `todo` tests so that they stay visible without failing
 * the suite; when one starts passing, move it into its topic file.
 */
import type { RunOptions } from "../../commands/testing.ts";

export interface KnownGap {
  name: string;
  script: string;
  options?: RunOptions;
  /** Who has to fix it: "shell" (packages/core/src/shell/) or the command's name. */
  owner: string;
  /** The difference in one line: VM vs host. */
  reason: string;
}

export const KNOWN_GAPS: KnownGap[] = [
  // shell interpreter
  {
    name: "unicode escape in C locale",
    script: "echo $'\\u00e9'",
    owner: "shell",
    reason: "$'\\u00e9' with LC_ALL=C: VM UTF-8 bytes, bash prints '\\u00E9'",
  },
  {
    name: "GLOBIGNORE",
    script: 'touch a.txt b.txt c.log; GLOBIGNORE="*.log:b*"; echo *',
    owner: "shell",
    reason: "GLOBIGNORE not honoured: VM 'a.txt b.txt c.log', bash 'a.txt'",
  },
  {
    name: "extglob parsed before shopt on the same line",
    script: "shopt -s extglob; echo @(a|b)",
    owner: "shell",
    reason: "bash parses the line before shopt runs (syntax error, exit 2); VM accepts it",
  },
  {
    name: "mapfile -C callback",
    script: "mapfile -t -C \"echo cb\" -c 2 arr <<< $'a\\nb\\nc\\nd'",
    owner: "shell",
    reason: "callback not run: VM prints nothing, bash 'cb 1 b' / 'cb 3 d'",
  },
  {
    name: "function pretty printing",
    script: "f() { echo hi; if true; then echo x; fi; }; declare -f f; type f",
    owner: "shell",
    reason:
      "VM echoes the source text 'f() { echo hi; ... }', bash reformats as 'f () \\n{ \\n    echo hi;\\n ...'",
  },
  {
    name: "type -t alias without expand_aliases",
    script: "alias ll=ls; type -t ll; echo $?",
    owner: "shell",
    reason: "non-interactive bash prints nothing (status 1); VM prints 'alias'",
  },
  {
    name: "enable builtin",
    script: "enable -n echo; type -t echo",
    owner: "shell",
    reason: "enable is missing: VM 'enable: command not found', bash 'file'",
  },
  {
    name: "help text",
    script: "help cd | head -1",
    owner: "shell",
    reason: "VM 'cd: a shell builtin of agentOS...', bash 'cd: cd [-L|[-P [-e]] [-@]] [dir]'",
  },
  {
    name: "unclosed [[ message",
    script: "[[ a == a",
    owner: "shell",
    reason:
      "VM 'syntax error in conditional expression: unexpected token `newline'', bash 'unexpected EOF while looking for `]]''",
  },
  {
    name: "[[ unknown binary operator",
    script: "[[ a -zz b ]]",
    owner: "shell",
    reason: "exit status: VM 2, bash 0 (same messages)",
  },
  {
    name: "bad substitution status",
    script: "x=1; echo ${x@Z}",
    owner: "shell",
    reason: "script exit status after a bad substitution: VM 1, bash 127",
  },
  {
    name: "unbound variable in arithmetic status",
    script: "set -u; echo $(( nope + 1 ))",
    owner: "shell",
    reason: "script exit status: VM 1, bash 127",
  },
  {
    name: "readonly messages name the builtin",
    script: "readonly r=1; declare r=3; f() { local r=2; }; f",
    owner: "shell",
    reason:
      "VM 'r: readonly variable', bash 'declare: r: readonly variable' / 'local: r: readonly variable'",
  },
  {
    name: "readonly -f",
    script: 'f() { :; }; readonly -f f; f() { echo new; }; echo "st=$?"',
    owner: "shell",
    reason:
      "VM prints the function and allows the redefinition, bash 'f: readonly function' and st=1",
  },
  {
    name: "arithmetic error prefix",
    script: "(( 1 / 0 )); let '1 +'; for (( i=0; i<1/0; i++ )); do :; done",
    owner: "shell",
    reason: "bash prefixes '((: ' / 'let: ' to arithmetic errors; VM omits it",
  },
  {
    name: "declare -i bad value aborts",
    script: 'declare -i n; n="3 +"; echo "st=$?"',
    owner: "shell",
    reason: "bash reports the error and exits the script (1); VM continues 'st=1 n='",
  },
  {
    name: "child killed by signal is reported",
    script: "bash -c 'kill -TERM $$'; echo $?",
    owner: "shell",
    reason:
      "bash reports a child killed by a signal ('Terminated', 'Killed', 'User defined signal 1', with the pid for jobs); VM prints nothing (statuses agree)",
  },
  {
    name: "patch with ORIGFILE operand",
    script: "printf 'a\\n' > o; printf 'b\\n' > n; diff -u o n > p.diff; patch o < p.diff; cat o",
    owner: "patch",
    reason:
      "VM 'patch: an ORIGFILE operand is not supported' (o unchanged), GNU 'patching file o' then 'b'",
  },
  {
    name: "cmp EOF message",
    script: "printf 'abc' > x; printf 'ab' > z; cmp x z",
    owner: "cmp",
    reason: "VM 'cmp: EOF on z after byte 2, line 1', GNU 'cmp: EOF on z after byte 2, in line 1'",
  },
  {
    name: "background jobs ignore SIGINT",
    script: "sleep 0.5 & p=$!; sleep 0.1; kill -INT $p; wait $p; echo $?",
    owner: "shell",
    reason: "non-interactive bash starts async commands with SIGINT ignored (0); VM job dies (130)",
  },
  {
    name: "transform K on assoc",
    script: 'declare -A m=([k]="v w"); echo ${m[@]@K}',
    owner: "shell",
    reason: 'key quoting: VM "\'k\' \\"v w\\"", bash \'k "v w"\'',
  },
  {
    name: "coproc",
    script:
      "coproc cat; echo hi >&${COPROC[1]}; exec {COPROC[1]}>&-; read l <&${COPROC[0]}; echo $l; wait",
    owner: "shell",
    reason: "VM 'coproc: not supported in this shell' (127), bash 'hi'",
  },
  {
    name: "named fd redirection {fd}>",
    script: "exec {fd}> f; echo x >&$fd; exec {fd}>&-; cat f",
    owner: "shell",
    reason: "VM 'cat: f: Bad file descriptor' (1), bash 'x'",
  },
];
