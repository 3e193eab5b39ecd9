/** Differential cases: the builtins and their exact output formats and error messages. */
import type { ShellCase } from "./case.ts";

export const BUILTINS_CASES: ShellCase[] = [
  // read
  ["read default split", 'read a b <<< "  one two three  "; echo "[$a][$b]"'],
  ["read backslash continuation", 'printf "a\\\\\\nb c\\n" | { read x y; echo "[$x][$y]"; }'],
  ["read -r keeps backslash", 'printf "a\\\\tb\\n" | { read -r x; echo "$x"; }'],
  ["read -n", 'read -n 3 x <<< "abcdef"; echo "$x"; read -n 10 y <<< "ab"; echo "$y"'],
  ["read -N", 'printf "ab\\ncd" | { read -N 4 x; printf "[%s]\\n" "$x"; }'],
  ["read -d empty", 'printf "a\\0b\\0" | { while IFS= read -r -d "" x; do echo "<$x>"; done; }'],
  ["read -a split", 'read -ra arr <<< "x  y z"; declare -p arr'],
  ["read -p to stderr", 'read -p "name? " n <<< bob 2>&1; echo "got $n"'],
  [
    "read eof status",
    'printf "last" | { read x; echo "st=$? x=$x"; }; read y < /dev/null; echo "st=$?"',
  ],
  ["read REPLY", 'read <<< "  spaced  "; echo "[$REPLY]"'],
  ["read -s -t", 'read -s -t 1 x <<< secret; echo "$x"'],
  ["read -u fd", 'exec 3<<< "from3"; read -u 3 x; echo $x'],
  ["read -t 0", 'read -t 0 <<< data; echo "st=$?"'],
  ["read invalid name", 'read 1x <<< v; echo "st=$?"'],
  [
    "read multiple lines loop",
    'printf "1 a\\n2 b\\n3" | while read -r n w || [ -n "$n" ]; do echo "$w$n"; done',
  ],
  // printf
  ["printf strings", 'printf "[%s][%10s][%-10s][%.2s][%5.1s]\\n" a b c defg hij'],
  [
    "printf integers",
    'printf "[%d][%5d][%-5d][%05d][%+d][% d][%x][%X][%o][%#x][%#o]\\n" 1 2 3 4 5 6 255 255 8 255 8',
  ],
  [
    "printf floats",
    'printf "[%f][%.2f][%8.3f][%-8.1f][%e][%E][%g][%G]\\n" 1.5 2.345 3.14159 4 12345.678 0.000123 100000 1e-10',
  ],
  ["printf char and percent", 'printf "%c%c|%%|\\n" hello world'],
  ["printf b escapes", 'printf "%b|%s\\n" "a\\tb\\x41\\101" "a\\tb"'],
  ["printf q", 'printf "%q\\n" "a b" "it\'s" \'$x\' "" tab$\'\\t\''],
  ["printf numeric from char", 'printf "%d %d %x\\n" "\'A" \'"a\' "\'0"'],
  ["printf star width", 'printf "[%*s][%-*d][%.*f]\\n" 5 x 4 7 2 3.14159'],
  ["printf escapes in format", 'printf "a\\tb\\\\c\\x41\\101\\u0042\\n"'],
  ["printf missing args", 'printf "%s-%d-%f|\\n"'],
  ["printf invalid number", 'printf "%d\\n" abc 12x; echo "st=$?"'],
  ["printf overflow", 'printf "%d\\n" 99999999999999999999; echo "st=$?"'],
  ["printf hex octal input", 'printf "%d %d %d\\n" 0x10 010 -0x1'],
  ["printf -v array", 'printf -v "a[2]" "%s" val; echo ${a[2]}'],
  ["printf time format", 'printf "%(%Y-%m-%d)T\\n" 86400'],
  ["printf invalid directive", 'printf "%z\\n" x; echo "st=$?"'],
  ["printf dash dash", 'printf -- "-%s-\\n" x'],
  // mapfile
  [
    "mapfile keeps newline",
    'printf "a\\nb\\n" | { mapfile arr; printf "[%s]" "${arr[@]}"; echo; }',
  ],
  [
    "mapfile -n -s",
    'seq_lines() { printf "%s\\n" l1 l2 l3 l4 l5; }; mapfile -t -s 1 -n 2 arr < <(seq_lines); echo "${arr[@]}"',
  ],
  ["mapfile -O", 'a=(x y); mapfile -t -O 5 a <<< "z"; echo ${!a[@]} ${a[@]}'],
  ["mapfile -d", 'mapfile -t -d , arr <<< "a,b,c"; printf "[%s]" "${arr[@]}"; echo'],
  ["readarray alias", "readarray -t lines <<< $'x\\ny'; echo ${#lines[@]} ${lines[1]}"],
  // declare -p
  [
    "declare -p scalars",
    "x=1; declare -i n=5; declare -r ro=c; declare -x ex=d; declare -p x n ro ex",
  ],
  [
    "declare -p arrays",
    'a=(1 "two words" \'q"uote\'); declare -p a; declare -a e=(); declare -p e',
  ],
  ["declare -p assoc single", 'declare -A m; m[key]="v a l"; declare -p m'],
  ["declare -p quoting", "x='a\"b$c\\d'; declare -p x; y=$'tab\\there'; declare -p y"],
  ["declare -p missing", 'declare -p nosuchvar; echo "st=$?"'],
  ["declare -p function local", "f() { local l=1; declare -p l; }; f"],
  ["declare -F", "f() { :; }; g() { :; }; declare -F"],
  [
    "declare attributes",
    'declare -l lo=MiXeD; declare -u up=MiXeD; declare -i num="3*4"; echo $lo $up $num; num+=1; echo $num',
  ],
  [
    "declare -g in function",
    'f() { declare -g G=global; declare L=local; }; f; echo "${G-} ${L-unset}"',
  ],
  ["declare +x", 'export V=1; declare +x V; env | grep -c "^V=" ; echo $V'],
  ["typeset", "typeset -i t=7*6; echo $t"],
  // getopts
  ["getopts errors", 'while getopts "a:b" o -x -a; do echo "o=$o OPTARG=${OPTARG-}"; done'],
  ["getopts silent", 'while getopts ":a:b" o -x -a; do echo "o=$o OPTARG=${OPTARG-}"; done'],
  ["getopts OPTERR", 'OPTERR=0; while getopts "a" o -z; do echo "o=$o"; done'],
  [
    "getopts combined",
    'while getopts "abc:" o -abcval -c x; do echo "$o ${OPTARG-}"; done; echo OPTIND=$OPTIND',
  ],
  [
    "getopts stops at dashdash",
    'set -- -a -- -b; while getopts ab o; do echo $o; done; shift $((OPTIND-1)); echo "rest=$*"',
  ],
  [
    "getopts non option",
    "set -- -a file -b; while getopts ab o; do echo $o; done; echo OPTIND=$OPTIND",
  ],
  // trap
  ["trap list all", 'trap "echo int" INT; trap "" QUIT; trap "echo bye" EXIT; trap'],
  ["trap -p specific", 'trap "echo t" TERM USR1; trap -p TERM; trap -p USR1'],
  ["trap reset", 'trap "echo x" INT; trap - INT; trap -p INT; echo done'],
  ["trap -l", "trap -l | head -2"],
  ["trap bad signal", 'trap "echo" NOSIG; echo "st=$?"'],
  ["trap exit status", 'trap "echo in trap \\$?" EXIT; (exit 3)'],
  ["trap signal numbers", 'trap "echo one" 1; trap -p HUP'],
  ["trap return", 'f() { trap "echo ret" RETURN; echo body; }; f; trap - RETURN'],
  // type / command
  ["type forms", 'f() { echo f; }; type -t echo cat f if nosuch; echo "st=$?"'],
  ["type -a", "type -a echo | head -1; type -P cat"],
  ["type keyword builtin", 'type if; type cd; type [[; type "["'],
  ["type not found", 'type nosuchcmd; echo "st=$?"'],
  ["command -V", 'command -V echo; command -V if; command -V nosuch; echo "st=$?"'],
  [
    "command bypasses function",
    'echo() { builtin echo "wrapped $*"; }; echo a; command echo b; unset -f echo',
  ],
  ["builtin not builtin", 'builtin nosuch; echo "st=$?"'],
  ["hash", 'hash -r; hash nosuchcmd; echo "st=$?"'],
  // set / shopt listing
  ["set -o list", "set -o | head -5"],
  ["set +o form", 'set +o | grep -E "errexit|pipefail|noglob"'],
  ["shopt -p", "shopt -p extglob nullglob globstar"],
  ["shopt -q", "shopt -q nullglob; echo $?; shopt -s nullglob; shopt -q nullglob; echo $?"],
  ["shopt invalid", 'shopt -s nosuchopt; echo "st=$?"'],
  ["shopt -o", "shopt -o errexit; set -e; shopt -po errexit"],
  [
    "dollar dash",
    "set -u; case $- in *u*) echo has-u;; esac; set +u; case $- in *u*) echo still;; *) echo no-u;; esac",
  ],
  ["set positional", 'set -- a "b c"; echo $#; set -- ; echo $#; set x y z; echo $2'],
  // umask
  ["umask forms", "umask 0022; umask; umask -S; umask u=rwx,g=rx,o=; umask; umask -p"],
  ["umask effect", 'umask 077; touch f; mkdir d; stat -c "%a %n" f d'],
  ["umask invalid", 'umask abc; echo "st=$?"'],
  // cd / pwd / dirs
  ["cd dash", 'mkdir -p x/y; cd x; cd y; cd -  | sed "s|.*/||"; pwd | sed "s|.*/||"'],
  ["cd to file", 'touch f; cd f; echo "st=$?"'],
  ["cd too many", 'cd a b; echo "st=$?"'],
  [
    "cd CDPATH",
    'mkdir -p base/target; CDPATH=base; cd target | sed "s|.*/base|base|"; cd target >/dev/null; basename "$PWD"',
  ],
  [
    "cd dotdot symlink",
    'mkdir -p top/real/sub; cd top; ln -s real/sub link; cd link; cd ..; basename "$PWD"; cd -P link; cd ..; basename "$PWD"',
  ],
  ["pwd -P", 'mkdir real; ln -s real lnk; cd lnk; basename "$(pwd)"; basename "$(pwd -P)"'],
  ["OLDPWD unset", 'unset OLDPWD; cd -; echo "st=$?"'],
  [
    "dirs stack",
    'HOME=/nonexistent; mkdir a b; pushd a >/dev/null; pushd ../b >/dev/null; dirs -v | head -2 | sed "s|/.*/||"; popd >/dev/null; popd >/dev/null; dirs -p | wc -l',
  ],
  ["popd empty", 'popd; echo "st=$?"'],
  // let / shift / eval / source
  ["let forms", 'let "a = 5 * 2" b=a+1 "c = b > 10"; echo $a $b $c; let d=0; echo "st=$?"'],
  ["let no args", 'let; echo "st=$?"'],
  ["shift errors", 'set -- a b; shift 3; echo "st=$? $#"; shift x; echo "st=$?"'],
  ["eval quoting", 'cmd="echo \\"a  b\\" c"; eval "$cmd"; eval \'x=$((1+1))\'; echo $x'],
  ["eval syntax error", 'eval "if"; echo "st=$?"'],
  ["eval return status", "eval false; echo $?; eval; echo $?"],
  [
    "source with args",
    'printf \'echo "n=$# 1=$1"\\nreturn 4\\n\' > lib.sh; source lib.sh x y; echo "st=$?"; . ./lib.sh; echo "st=$?"',
  ],
  [
    "source keeps args",
    'echo \'echo "in: $*"\' > s.sh; set -- outer; . ./s.sh; . ./s.sh inner; echo "after: $*"',
  ],
  ["source missing", 'source nosuch.sh; echo "st=$?"'],
  ["source defines function", "echo 'greet() { echo \"hi $1\"; }' > f.sh; . ./f.sh; greet you"],
  // exec redirections
  [
    "exec stdout to file",
    "exec 5>&1; exec > out.txt; echo hidden; exec 1>&5 5>&-; echo shown; cat out.txt",
  ],
  [
    "exec append and read",
    'exec 3>>log; echo one >&3; echo two >&3; exec 3>&-; exec 4<log; while read -u 4 l; do echo "<$l>"; done',
  ],
  ["exec read write fd", 'echo data > f; exec 3<> f; read -u 3 x; echo "$x"; exec 3>&-'],
  ["exec bad fd", 'echo x >&7; echo "st=$?"'],
  ["exec dup and close", 'exec 3>&1; { echo via3 >&3; } 3>&-; echo "st=$?"'],
  ["exec nonexistent", "exec nosuchcommand; echo never"],
  // wait / jobs / kill -l
  ["wait statuses", "(exit 3) & p1=$!; (exit 4) & p2=$!; wait $p1; echo $?; wait $p2; echo $?"],
  ["wait -n", "(exit 6) & wait -n; echo $?"],
  ["wait unknown pid", 'wait 99999; echo "st=$?"'],
  ["wait no children", 'wait; echo "st=$?"'],
  ["kill -l list", "kill -l | head -3"],
  ["kill -l numbers", "kill -l 2 15 130; kill -l HUP INT"],
  ["kill bad signal", 'kill -s NOSIG 1; echo "st=$?"'],
  ["kill background job", 'sleep 10 & pid=$!; kill $pid; wait $pid; echo "st=$?"'],
  ["kill -0", 'sleep 1 & kill -0 $!; echo "st=$?"; kill $!; wait'],
  // misc
  ["echo options", 'echo -n; echo -e "a\\tb\\c" extra; echo; echo -- -n; echo -ne "x\\n"'],
  ["colon true false", ": ignored args; echo $?; true; false; echo $?"],
  ["test builtin numeric errors", '[ 1 -eq x ]; echo "st=$?"; [ a -lt ]; echo "st=$?"'],
  [
    "test string ops",
    '[ -n "" ]; echo $?; [ -z "" ]; echo $?; [ a \\< b ]; echo $?; [ ! a = a ]; echo $?',
  ],
  [
    "test combined",
    "[ 1 -eq 1 -a 2 -gt 1 ]; echo $?; [ 1 -eq 2 -o 2 -eq 2 ]; echo $?; [ \\( a = b \\) -o c = c ]; echo $?",
  ],
  [
    "test file ops",
    'touch f; mkdir d; ln -s f l; for op in -e -f -d -h -L -s -r -w; do [ $op l ]; echo "$op $?"; done',
  ],
  [
    "test newer",
    'touch -d "2020-01-01" old; touch -d "2021-01-01" new; [ new -nt old ]; echo $?; [ new -ot old ]; echo $?',
  ],
  [
    "unset forms",
    'x=1; f() { :; }; unset -v x; unset -f f; echo "${x-none}"; type f 2>&1 | head -1',
  ],
  ["readonly listing", "readonly RO1=a; readonly -p | grep RO1"],
  ["export listing", "export EXP1=val; export -p | grep EXP1"],
  ["times format", "times | wc -l"],
  [
    "return in sourced file",
    'printf "echo a\\nreturn 2\\necho b\\n" > r.sh; . ./r.sh; echo "st=$?"',
  ],
  ["caller", 'f() { caller 0 | cut -d" " -f2; }; g() { f; }; g'],
  [
    "compgen",
    'f_one() { :; }; f_two() { :; }; compgen -A function f_; compgen -W "alpha beta apple" -- ap',
  ],
];
