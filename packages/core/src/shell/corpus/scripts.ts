/** Differential cases: the way coding agents actually write shell (multi-line scripts). */
import type { ShellCase } from "./case.ts";

const files = {
  "src/a.ts": "export const a = 1;\n// TODO: fix\n",
  "src/b.ts": "import { a } from './a';\nconsole.log(a);\n",
  "src/lib/c.js": "function c() {\n  return 42; // TODO\n}\n",
  "README.md": "# Project\n\nSome text.\n",
  "data.csv": "name,age\nalice,30\nbob,25\ncarol,35\n",
  "words.txt": "pear\napple\nfig\napple\nbanana\npear\napple\n",
};

export const SCRIPT_CASES: ShellCase[] = [
  ["strict mode", 'set -euo pipefail\nx=${UNSET_VAR:-default}\necho "$x"', { files }],
  [
    "strict mode failure",
    "set -euo pipefail\necho start\ngrep nomatch README.md\necho unreachable",
    { files },
  ],
  ["read file loop", 'while IFS= read -r line; do echo "[$line]"; done < data.csv', { files }],
  [
    "read csv fields",
    'while IFS=, read -r name age; do echo "$name is $age"; done < data.csv',
    { files },
  ],
  [
    "mapfile procsub",
    'mapfile -t lines < <(cat words.txt); echo "${#lines[@]} ${lines[0]}"',
    { files },
  ],
  ["dollar less-than", 'content=$(< README.md); echo "$content" | head -1', { files }],
  ["heredoc to file", "cat > out.txt <<'EOF'\nline $1\n  indented\nEOF\ncat out.txt", { files }],
  ["heredoc in loop", "for n in 1 2; do cat <<EOF\nn=$n\nEOF\ndone"],
  ["count words", "sort words.txt | uniq -c | sort -rn | head -2", { files }],
  ["grep recursive", "grep -rn TODO src | sort", { files }],
  ["find names", "find . -name '*.ts' | sort", { files }],
  ["find exec", "find src -name '*.js' -exec wc -l {} \\;", { files }],
  ["xargs", "find src -type f | sort | xargs wc -l", { files }],
  [
    "command check",
    "if command -v grep >/dev/null 2>&1; then echo has grep; fi; command -v nope >/dev/null || echo no nope",
  ],
  [
    "trap cleanup",
    'tmp=tmpfile; trap \'rm -f "$tmp"; echo cleaned\' EXIT; touch "$tmp"; ls "$tmp"',
  ],
  [
    "functions and locals",
    'greet() {\n  local name=${1:-world}\n  printf "hello, %s\\n" "$name"\n}\ngreet\ngreet agent',
  ],
  [
    "array loop",
    'arr=(one "two three" four)\nfor item in "${arr[@]}"; do echo "- $item"; done\necho "${#arr[@]} items"',
  ],
  [
    "assoc counting",
    'declare -A count\nwhile read -r w; do count[$w]=$(( ${count[$w]:-0} + 1 )); done < words.txt\nfor k in apple banana fig pear; do echo "$k=${count[$k]}"; done',
    { files },
  ],
  ["string ops", 'f=src/lib/c.js\necho "${f##*/} ${f%/*} ${f##*.} ${f/lib/LIB}"'],
  [
    "case dispatch",
    'for f in a.ts b.md c.sh d; do\n  case "$f" in\n    *.ts|*.js) echo "$f: script";;\n    *.md) echo "$f: doc";;\n    *) echo "$f: other";;\n  esac\ndone',
  ],
  [
    "arithmetic loop",
    'total=0\nfor n in 3 5 7; do total=$((total + n)); done\necho "total=$total avg=$((total / 3))"',
  ],
  [
    "exit code capture",
    'grep -q apple words.txt && echo found\ngrep -q kiwi words.txt || echo "missing ($?)"',
    { files },
  ],
  ["subshell cd", "(cd src && ls) ; ls -d src", { files }],
  ["pipes and tee", "cat words.txt | tee copy.txt | wc -l; wc -l < copy.txt", { files }],
  ["sed in place", "sed -i 's/apple/APPLE/g' words.txt; grep -c APPLE words.txt", { files }],
  ["awk sum", "awk -F, 'NR>1 {s+=$2} END {print s}' data.csv", { files }],
  ["nested quotes", 'msg="it\'s \\"quoted\\""; echo "$msg"; echo \'$msg\''],
  ["printf table", 'printf "%-10s|%5s\\n" name age; printf "%-10s|%5d\\n" alice 30 bob 5'],
  ["default assignment in function", 'f() { : "${X:=fromf}"; }; f; echo "$X"'],
  [
    "getopts script",
    'parse() {\n  local OPTIND opt\n  while getopts "vf:" opt; do\n    case $opt in\n      v) echo verbose;;\n      f) echo "file=$OPTARG";;\n    esac\n  done\n  shift $((OPTIND - 1))\n  echo "rest=$*"\n}\nparse -v -f x.txt a b',
  ],
  [
    "background jobs",
    'for i in 1 2 3; do (echo "job $i" > "out$i") & done\nwait\ncat out1 out2 out3',
  ],
  ["stderr to stdout in pipe", "ls nonexistent-file 2>&1 | sed 's/^/ERR: /'"],
  ["here-string pipeline", 'tr a-z A-Z <<< "shout"'],
  ["brace list files", "mkdir -p a/{b,c}/d && find a -type d | sort"],
  [
    "test file ops",
    "touch f; [ -e f ] && [ -f f ] && [ ! -d f ] && [ -r f ] && echo ok; [ -s f ] || echo empty",
  ],
  [
    "string compare",
    'a=abc; b=abd; [[ $a < $b ]] && echo less; [[ $a == ab* ]] && echo prefix; [ "$a" != "$b" ] && echo differ',
  ],
  ["numeric compare", "n=10; if (( n > 5 && n % 2 == 0 )); then echo big-even; fi"],
  ["ifs join", 'arr=(a b c); (IFS=,; echo "${arr[*]}")'],
  ["seq loop", "for i in $(seq 1 5); do printf '%s ' $i; done; echo"],
  ["while with counter", 'i=0; while (( i < 3 )); do echo "i=$i"; ((i++)); done'],
  ["eval assignment", 'for k in a b; do eval "var_$k=\\$k"; done; echo $var_a $var_b'],
  ["exit in function", "f() { exit 4; }; f; echo never"],
  ["readonly loop var", "for x in 1; do :; done; echo $x"],
  ["unset function", "f() { echo f; }; unset -f f; f 2>/dev/null || echo gone"],
  ["xtrace script", 'set -x\nname=x\necho "$name"'],
  ["pipefail status", 'set -o pipefail; grep zzz words.txt | sort; echo "status=$?"', { files }],
];
