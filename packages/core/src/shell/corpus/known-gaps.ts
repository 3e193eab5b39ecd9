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
    name: "subshell ${v:?} exit status",
    script: "v=; (: ${v:?}); echo $?",
    owner: "shell",
    reason: "status of a failed ${v:?} in a subshell: VM 127, bash 1",
  },
  {
    name: "length counts bytes in C locale",
    script: 's=$\'h\\xc3\\xa9llo\'; echo ${#s}',
    owner: "shell",
    reason: "${#s} of a 2-byte UTF-8 char under LC_ALL=C: VM 5, bash 6",
  },
  {
    name: "patsub_replacement ampersand",
    script: 's=abc; echo ${s/b/[&]}; echo "${s/b/[\\&]}"',
    owner: "shell",
    reason: "bash 5.2 default patsub_replacement: VM 'a[&]c', bash 'a[b]c'",
  },
  {
    name: "transform a on assoc",
    script: "declare -A m; m[k]=v; echo ${m@a}",
    owner: "shell",
    reason: "${m@a} of an associative array: VM 'a', bash 'A'",
  },
  {
    name: "transform K",
    script: 'a=(p "q r"); echo ${a[@]@K}',
    owner: "shell",
    reason: "${a[@]@K}: VM \"0='p' 1='q r'\", bash '0 \"p\" 1 \"q r\"'",
  },
  {
    name: "declare -A compound assignment",
    script: "declare -A m=([one]=1 [two]=2); echo ${!m[@]} ${m[one]}",
    owner: "shell",
    reason: "keys treated as arithmetic: VM '0 2', bash 'two one 1'",
  },
  {
    name: "assoc compound append",
    script: "declare -A m; m[a]=1; m+=([b]=2); echo ${m[b]} ${#m[@]}",
    owner: "shell",
    reason: "m+=([k]=v) on an assoc: VM wrong keys, bash '2 2'",
  },
  {
    name: "nameref indirection",
    script: "x=1; declare -n r=x; echo ${!r}",
    owner: "shell",
    reason: "${!ref} of a nameref gives the target name: VM '', bash 'x'",
  },
  {
    name: "unicode escape in C locale",
    script: "echo $'\\u00e9'",
    owner: "shell",
    reason: "$'\\u00e9' with LC_ALL=C: VM UTF-8 bytes, bash prints '\\u00E9'",
  },
  {
    name: "globstar trailing dir",
    script: "mkdir -p src/d; touch src/x; shopt -s globstar; echo src/**",
    owner: "shell",
    reason: "src/** lists 'src/' itself first in bash; VM omits it",
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
];
