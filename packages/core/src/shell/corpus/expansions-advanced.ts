/** Differential cases: every `${...}` form, transformations, IFS edge cases and globbing. */
import type { ShellCase } from "./case.ts";

const tree = {
  "a.txt": "a\n",
  "b.txt": "b\n",
  "C.TXT": "C\n",
  "c.log": "c\n",
  ".hidden.txt": "h\n",
  "src/x.ts": "x\n",
  "src/y.js": "y\n",
  "src/deep/z.ts": "z\n",
  "src/deep/er/w.ts": "w\n",
  "file-1.md": "1\n",
  "file-22.md": "22\n",
  "file-abc.md": "abc\n",
};

export const EXPANSIONS_ADVANCED_CASES: ShellCase[] = [
  // defaults and alternatives, nested
  ["nested defaults", "unset a b; c=C; echo ${a:-${b:-${c}}} ${a:-${b:-x${c}y}}"],
  [
    "default with spaces quoted",
    'unset a; for w in "${a:-one two}"; do echo "[$w]"; done; for w in ${a:-one two}; do echo "<$w>"; done',
  ],
  ["default from cmdsub", "unset a; echo ${a:-$(echo from sub)}"],
  ["default arith", "unset n; echo ${n:-$((2+3))}"],
  ["assign default colon", 'a=; echo "[${a=x}]" "[${a:=y}]"; echo "$a"'],
  ["assign default to an element", "a=(1); echo ${a[3]:=x} ${a[0]:=no}; declare -p a"],
  ["assign default creates an array", "unset a; echo ${a[2]:=y} ${a[4]=z}; declare -p a"],
  ["assign default to a key", "declare -A m; echo ${m[k]:=v} ${m[ a b ]:=sp}; declare -p m"],
  ["assign default element of a scalar", "x=5; echo ${x[0]:=q} ${x[1]:=r}; declare -p x"],
  [
    "assign default subscript evaluated twice",
    "i=0; a=(); echo ${a[i++]:=x}; declare -p a; echo $i",
  ],
  ["assign default element in a function", "f() { local -a l; echo ${l[1]:=v}; declare -p l; }; f"],
  ["assign default element through a nameref", "declare -n r=arr; echo ${r[2]:=n}; declare -p arr"],
  ["assign default readonly element", "readonly -a r=(1); echo ${r[3]:=x}; echo after"],
  ["assign default bad negative element", "a=(1 2); echo ${a[-5]:=z}; echo after"],
  ["alternative nested", 'a=1; unset b; echo "${a:+has ${b:-nob}}" "[${b:+x}]"'],
  ["error op message", 'unset v; f() { echo ${v?is missing}; }; f; echo "st=$?"'],
  ["error op empty colon", 'v=; (echo ${v:?}) 2>&1; (echo "[${v?}]"); echo done'],
  // length, substrings
  [
    "length forms",
    's="hello"; set -- a bb ccc; a=(x yy zzz); echo ${#s} ${#} ${#@} ${#a[1]} ${#a[*]}',
  ],
  ["substring negative", "s=0123456789; echo ${s:(-3)} ${s: -4:2} ${s:3:-3} ${s:0:0}x ${s:20}y"],
  ["substring arith", "s=abcdefgh; i=2; echo ${s:i:i+1} ${s:$((i*2))}"],
  ["substring positional zero", 'set -- a b c; echo ${@:0:2} | sed "s/^[^ ]*/NAME/"'],
  ["array slice sparse", "a=([1]=b [3]=d [5]=f); echo ${a[@]:2} ${a[@]:0:2} ${a[@]: -1}"],
  // patterns
  [
    "remove patterns glob classes",
    "p=abc123def456; echo ${p#*[0-9]} ${p##*[0-9]} ${p%[0-9]*} ${p%%[0-9]*}",
  ],
  ["remove quoted pattern", 'p="a*b*c"; echo ${p#"a*"} ${p%\\*c} ${p#a\\*}'],
  ["remove on array", "a=(one.txt two.md three.txt); echo ${a[@]%.*} ${a[@]#t}"],
  ["remove on positional", "set -- x.c y.c z.h; echo ${@%.c} ${*#?}"],
  ["replace anchored", "s=foofoo; echo ${s/#foo/X} ${s/%foo/Y} ${s/#bar/Z}"],
  ["replace with slash", "p=/usr/local/bin; echo ${p//\\//:} ${p//\\//}"],
  ["replace empty pattern", 's=abc; echo "${s//}" "${s/}"'],
  ["replace char class", 's="a1b2c3"; echo ${s//[0-9]/#} ${s//[!0-9]/_}'],
  ["replace on array", "a=(cat hat bat); echo ${a[@]/at/og} ${a[@]//a}"],
  [
    "replace extglob",
    'shopt -s extglob\ns="aaa bbb   ccc"; echo "${s// +( )/ }" "${s//+([ab])/X}"',
  ],
  // case modification
  ["case pattern", "s=banana; echo ${s^^[an]} ${s,,[B]} ${s^[b]} ${s^^a}"],
  ["case on array", "a=(alpha beta); echo ${a[@]^} ${a[@]^^}; b=(ONE TWO); echo ${b[@],,}"],
  ["case toggle", "s=HeLLo; echo ${s~} ${s~~}"],
  // transformations
  ["transform Q forms", "s=$'tab\\there'; t=\"a b\"; u=plain; echo ${s@Q} ${t@Q} ${u@Q}"],
  ["transform E", 's=\'a\\tb\\x41\\n\'; printf "[%s]\\n" "${s@E}"'],
  ["transform UuL", 's="hello World"; echo ${s@U} ${s@u} ${s@L}'],
  ["transform A", "s=val; declare -i n=3; a=(1 2); echo ${s@A}; echo ${n@A}"],
  [
    "transform a",
    'declare -r r=1; declare -a a=(1); declare -ix i=2; s=x; echo "${r@a}|${a@a}|${i@a}|${s@a}|"',
  ],
  ["transform a assoc", 'declare -A m; m[k]=v; declare -rA rm; echo "${m@a}|${rm@a}|"'],
  ["transform P", "PS_TEST='x\\ny'; echo \"${PS_TEST@P}\""],
  ["transform Q array", 'a=("it\'s" "x y" z); echo "${a[@]@Q}"'],
  // indirection
  ["indirect chain", "x=y; y=z; z=end; echo ${!x} ${!y}"],
  ["indirect array elem", 'arr=(a b c); ref="arr[2]"; echo ${!ref}; ref2="arr[@]"; echo ${!ref2}'],
  [
    "indirect with default",
    'unset target; n=target; echo ${!n:-fallback}; target=; echo "[${!n-unset}]"',
  ],
  ["indirect positional", "set -- one two three; n=2; echo ${!n}; echo ${!#}"],
  ["prefix names at", 'my_a=1 my_b=2 my_c=3; for v in "${!my_@}"; do echo $v; done'],
  [
    "keys of assoc",
    'declare -A m; m[one]=1; m[two]=2; m[three]=3; for k in "${!m[@]}"; do echo "$k=${m[$k]}"; done | sort',
  ],
  [
    "nameref",
    "x=1; declare -n r=x; r=5; echo $x; f() { local -n out=$1; out=set-by-f; }; f res; echo $res",
  ],
  [
    "nameref array",
    "arr=(1 2); g() { local -n a=$1; a+=(3); echo ${#a[@]}; }; g arr; echo ${arr[@]}",
  ],
  // arrays and assoc
  [
    "array append forms",
    "a=(1); a+=(2 3); a[10]=x; a+=(y); echo ${a[@]} ${!a[@]}; s=ab; s+=cd; echo $s",
  ],
  ["array negative index", "a=(a b c d); echo ${a[-1]} ${a[-2]}; a[-1]=D; echo ${a[@]}"],
  [
    "array unset middle",
    'a=(a b c d); unset "a[1]"; echo ${#a[@]} ${!a[@]}; a=("${a[@]}"); echo ${!a[@]}',
  ],
  ["array star vs at", 'a=("x y" z); IFS=-; echo "${a[*]}"; printf "[%s]" "${a[@]}"; echo'],
  ["array arith index", "a=(10 20 30); i=1; echo ${a[i+1]} ${a[$i]} $((a[0]+a[2]))"],
  [
    "assoc quoting keys",
    'declare -A m; m["a b"]=1; m[\'$x\']=2; k="a b"; echo ${m[$k]} ${m[\\$x]} ${#m[@]}',
  ],
  [
    "assoc compound append",
    "declare -A m; m[a]=1; m+=([b]=2 [c]=3); echo ${m[b]} ${m[c]} ${#m[@]}",
  ],
  ["assoc append", "declare -A m; m[a]=1; m[b]=2; m[a]+=0; echo ${m[a]} ${m[b]}"],
  [
    "assoc unset key",
    'declare -A m; m[a]=1; m[b]=2; unset "m[a]"; echo ${#m[@]} ${!m[@]} "[${m[a]-gone}]"',
  ],
  ["array compound assign index", "a=([2]=c [0]=a b); echo ${a[@]} ${!a[@]}"],
  [
    "array from split",
    'IFS=: read -ra parts <<< "a:b::d"; echo ${#parts[@]}; printf "<%s>" "${parts[@]}"; echo',
  ],
  ["array length of element", 'a=(hello "big world"); echo ${#a[0]} ${#a[1]} ${#a[@]}'],
  // IFS edge cases
  ["ifs empty", 'IFS=; x="a b c"; for w in $x; do echo "[$w]"; done; set -- a b; echo "$*"'],
  ["ifs unset", 'unset IFS; x=" a  b "; for w in $x; do echo "[$w]"; done; set -- a b; echo "$*"'],
  ["ifs leading non-ws", 'IFS=,; x=",a,,b,"; for w in $x; do echo "[$w]"; done'],
  [
    "ifs newline only",
    'IFS=$\'\\n\'; x=$(printf "a b\\nc d\\n"); for w in $x; do echo "[$w]"; done',
  ],
  ["ifs in read", 'IFS=: read -r a b c <<< "1:2:3:4:5"; echo "$a|$b|$c"'],
  [
    "ifs read trailing",
    'IFS=, read -r a b <<< "x,y,"; echo "[$a][$b]"; IFS=, read -r a b <<< "x,y,z,"; echo "[$a][$b]"',
  ],
  ["ifs star first char", 'IFS=":-"; set -- a b c; echo "$*"; x="1-2:3"; echo $x'],
  ["empty expansion removed", 'e=; set -- $e "" $e; echo $#; set -- "$e"; echo $#'],
  ["split cmdsub", 'for w in $(printf "a\\tb\\n c"); do echo "[$w]"; done'],
  [
    "at in string",
    'set -- a b; x="pre$@post"; echo "$x"; for w in "pre$@post"; do echo "[$w]"; done',
  ],
  // quoting interactions
  [
    "quoted patterns in expansion",
    's="a.b.c"; dot="."; echo ${s%"$dot"*} ${s%$dot*} ${s//"$dot"/-}',
  ],
  ["tilde in assignment", 'HOME=/home/t; a=~/x:~/y; echo $a; b="~/z"; echo $b'],
  ["dollar single quote in dq", "echo \"$'x'\" $'\\u0041' | od -c | head -1"],
  ["locale string", 'echo $"plain"'],
  // arithmetic expansion corners
  ["arith nested expansion", "a=3; b=a; echo $(( b + 1 )) $(( ${a} * 2 )) $(( $(echo 4) + 1 ))"],
  [
    "arith assign ops",
    "x=10; (( x += 5, x -= 3, x *= 2, x /= 4, x %= 4 )); echo $x; (( y = x << 3 | 1 )); echo $y",
  ],
  ["arith comma ternary", "echo $(( 1, 2, 3 )) $(( 0 ? 1 : 0 ? 2 : 3 ))"],
  ["arith negative mod", "echo $(( -7 % 3 )) $(( 7 % -3 )) $(( -7 / 2 ))"],
  ["arith string var", 'x="1 + 2"; echo $((x)) $((x * 2))'],
  // brace expansion
  ["brace sequences", "echo {1..10..3} {z..u..2} {-2..2} {005..1..2}"],
  ["brace mixed", "echo {a,b}{1..2}.{txt,md}"],
  ["brace no expand", "echo {a} {a,} {,} {1..} a{1.2}b ${x}{1,2}"],
  ["brace with vars", "n=3; echo {1..$n}; x=p; echo {$x,q}"],
  ["brace quoted", 'echo "{a,b}" \'{c,d}\' {e,"f g"}'],
  // globbing
  ["glob sorted", "echo *; echo *.txt; echo ?.txt", { files: tree }],
  ["glob brackets", "echo [a-b].txt [!a].txt [[:upper:]]*", { files: tree }],
  ["glob no match literal", 'echo *.zzz "no*match"; ls *.zzz 2>&1; echo $?', { files: tree }],
  [
    "glob nullglob array",
    "shopt -s nullglob; a=(*.zzz); echo ${#a[@]}; b=(*.txt); echo ${#b[@]}",
    { files: tree },
  ],
  ["glob failglob", 'shopt -s failglob; echo *.zzz; echo "st=$?"', { files: tree }],
  [
    "glob failglob in if",
    "shopt -s failglob; if echo *.none; then echo yes; else echo no; fi; echo end",
    { files: tree },
  ],
  ["glob nocaseglob", "shopt -s nocaseglob; echo *.txt; echo c*", { files: tree }],
  ["glob dotglob", "echo *.txt; shopt -s dotglob; echo *.txt; echo .*.txt", { files: tree }],
  ["glob dot dirs", "echo .*", { files: { a: "", ".b": "" } }],
  ["glob globstar", "shopt -s globstar; echo **/*.ts; echo src/**/*.js", { files: tree }],
  ["glob globstar dirs", "shopt -s globstar; echo src/**/; echo **/deep", { files: tree }],
  ["glob star no globstar", "echo src/**/*.ts", { files: tree }],
  ["glob in subdir", "echo src/*; echo */*.ts; echo src/*/", { files: tree }],
  [
    "extglob forms",
    "shopt -s extglob\necho file-+([0-9]).md; echo file-?([0-9]).md; echo file-*([a-z]).md; echo !(*.txt|*.md|src); echo @(a|b).txt",
    { files: tree },
  ],
  ["extglob nested", "shopt -s extglob\necho file-!(+([0-9])).md", { files: tree }],
  [
    "extglob in case",
    'shopt -s extglob\nfor w in abc 123 a1 ""; do case $w in +([a-z])) echo "$w alpha";; +([0-9])) echo "$w num";; "") echo empty;; *) echo "$w mixed";; esac; done',
  ],
  [
    "extglob in cond",
    "shopt -s extglob\n[[ foo.tar.gz == *.@(gz|bz2) ]] && echo compressed; [[ x == !(y) ]] && echo noty",
  ],
  ["glob in quotes no expand", 'x="*.txt"; echo "$x"; echo $x', { files: tree }],
  ["glob from variable set -f", 'set -f; x="*.txt"; echo $x; set +f; echo $x', { files: tree }],
  ["glob escaped chars", 'touch "a*b" "a?b" ab; echo a\\*b; echo a\\?b; echo "a"*"b"'],
  ["glob pattern slash", "echo src/[xy].*", { files: tree }],
  [
    "glob character class names",
    "touch 1a A_ b; echo [[:digit:]]*; echo [[:alpha:]]; echo *[[:punct:]]",
  ],
  [
    "cond pattern vs string",
    's="a*c"; [[ abc == $s ]] && echo glob; [[ abc == "$s" ]] || echo literal; [[ "a*c" == "$s" ]] && echo same',
  ],
  ["subshell ${v:?} exit status", "v=; (: ${v:?}); echo $?"],
  ["length counts bytes in C locale", "s=$'h\\xc3\\xa9llo'; echo ${#s}"],
  ["transform K", 'a=(p "q r"); echo ${a[@]@K}'],
  ["declare -A compound assignment", "declare -A m=([one]=1 [two]=2); echo ${!m[@]} ${m[one]}"],
  ["nameref indirection", "x=1; declare -n r=x; echo ${!r}"],
  ["globstar trailing dir", "mkdir -p src/d; touch src/x; shopt -s globstar; echo src/**"],
  [
    "assoc compound iterate",
    'declare -A m=([one]=1 [two]=2 [three]=3); for k in "${!m[@]}"; do echo "$k=${m[$k]}"; done | sort',
  ],
  ["unset assoc compound key", 'declare -A m=([a]=1 [b]=2); unset "m[a]"; echo ${#m[@]} ${!m[@]}'],
  ["command substitution trailing newlines", 'x=$(printf "a\\n\\n"); echo "${#x}"'],
  ["nested arrays in cmdsub", "a=($(echo 1 2 3)); echo ${#a[@]}"],
  ["dollar underscore", "echo a b; echo $_"],
  [
    "regex quoted part literal",
    '[[ "a.b" =~ ^a"."b$ ]] && echo lit; [[ "axb" =~ ^a"."b$ ]] || echo nolit',
  ],
  [
    "test -v",
    "x=; [[ -v x ]] && echo set; [[ -v nope ]] || echo unset; a=(1); [[ -v a[0] ]] && echo elem",
  ],
  ["arith with leading zeros var", "x=08; echo $((10#$x))"],
  ["IFS changes in function local", 'f() { local IFS=,; echo "$*"; }; f a b; echo "$*" x'],
  ["tilde plus", "cd /; echo ~+; cd /tmp; echo ~-"],
  ["patsub_replacement ampersand", 's=abc; echo ${s/b/[&]}; echo "${s/b/[\\&]}"'],
];
