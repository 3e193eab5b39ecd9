/** Differential cases: file management commands, with columns that legitimately differ removed. */
import type { ShellCase } from "./case.ts";

const files = {
  "proj/README.md": "# proj\n",
  "proj/src/main.ts": "export {};\n",
  "proj/src/util.ts": "export const u = 1;\n",
  "proj/src/legacy.js": "module.exports = {};\n",
  "proj/test/main.test.ts": "test();\n",
  "proj/.env": "SECRET=1\n",
  "proj/build/out.js": "compiled\n",
  "proj/empty": { dir: true },
  "data/one.txt": "1\n",
  "data/two.txt": "22\n",
  "data/three.log": "333\n",
  "link-to-one": { symlink: "data/one.txt" },
  "broken-link": { symlink: "nowhere" },
} as const;

/** Mode, link count (files only), size and name of `ls -l`: owners, dates and totals differ. */
const lsCols = "awk '$1 != \"total\" {print $1, $5, $NF}'";

export const FILES_CASES: ShellCase[] = [
  // ls
  ["ls plain", "ls; ls proj; ls -a proj", { files }],
  ["ls -1 and -A", "ls -1 data; ls -A proj", { files }],
  ["ls -l files normalised", `ls -l data | ${lsCols}`, { files }],
  [
    "ls -l symlink",
    "ls -l link-to-one broken-link | awk '{print $1, $(NF-2), $(NF-1), $NF}'",
    { files },
  ],
  ["ls -d and -F", "ls -d proj proj/src; ls -F proj; ls -p data", { files }],
  ["ls -R", "ls -R proj/src proj/test", { files }],
  ["ls sorting", "ls -r data; ls -S data; ls -X data", { files }],
  ["ls missing", 'ls nosuch data/one.txt; echo "st=$?"', { files }],
  ["ls glob args", "ls data/*.txt; ls -d data/t*", { files }],
  [
    "ls -la normalised",
    `ls -la proj/src | grep -v '^total' | awk '$NF != "." && $NF != ".." {print $1, $5, $NF}'`,
    { files },
  ],
  [
    "ls -1 after chmod",
    `chmod 600 data/one.txt; chmod 755 data/two.txt; ls -l data | ${lsCols}`,
    { files },
  ],
  ["ls -i absent", 'ls --nosuchopt 2>&1 | head -2; echo "st=${PIPESTATUS[0]}"', { files }],
  // cp
  [
    "cp file",
    "cp data/one.txt copy.txt; cat copy.txt; cp data/one.txt data/two.txt proj/empty; ls proj/empty",
    { files },
  ],
  ["cp -r", "cp -r data backup; ls backup; cp -r data backup; ls backup", { files }],
  ["cp dir without -r", 'cp data dest; echo "st=$?"', { files }],
  ["cp missing", 'cp nosuch x; echo "st=$?"', { files }],
  ["cp -n and -i style", "echo new > n.txt; cp -n n.txt data/one.txt; cat data/one.txt", { files }],
  ["cp into missing dir", 'cp data/one.txt nodir/; echo "st=$?"', { files }],
  ["cp -p mode", "chmod 640 data/one.txt; cp -p data/one.txt p.txt; stat -c %a p.txt", { files }],
  ["cp symlink", "cp link-to-one c1; cp -P link-to-one c2; stat -c %F c1 c2", { files }],
  ["cp same file", 'cp data/one.txt data/one.txt; echo "st=$?"', { files }],
  ["cp -v", "cp -v data/one.txt x.txt; cp -rv data d2 | sort", { files }],
  // mv
  ["mv rename", "mv data/one.txt data/uno.txt; ls data", { files }],
  ["mv into dir", "mv data/one.txt data/two.txt proj/empty; ls data proj/empty", { files }],
  ["mv missing", 'mv nosuch x; echo "st=$?"', { files }],
  ["mv dir", "mv data renamed; ls renamed; ls -d data 2>&1", { files }],
  [
    "mv -v -n",
    "echo z > z.txt; mv -n z.txt data/one.txt; cat data/one.txt; mv -v z.txt zz.txt",
    { files },
  ],
  ["mv onto itself", 'mv data/one.txt data/one.txt; echo "st=$?"', { files }],
  ["mv dir into itself", 'mv data data/sub; echo "st=$?"', { files }],
  // rm
  ["rm file", "rm data/one.txt; ls data", { files }],
  ["rm missing", 'rm nosuch; echo "st=$?"; rm -f nosuch; echo "st=$?"', { files }],
  ["rm dir", 'rm data; echo "st=$?"; rm -r data; ls', { files }],
  ["rm -d", 'rm -d proj/empty; rm -d data; echo "st=$?"; ls proj', { files }],
  ["rm -v", "rm -v data/one.txt; rm -rv data | sort", { files }],
  ["rm symlink only", "rm link-to-one; cat data/one.txt; ls", { files }],
  ["rm glob", "rm data/*.txt; ls data", { files }],
  [
    "rmdir",
    'rmdir proj/empty; echo "st=$?"; rmdir data; echo "st=$?"; rmdir nosuch; echo "st=$?"',
    { files },
  ],
  ["rmdir -p", "mkdir -p a/b/c; rmdir -p a/b/c; ls -d a 2>&1", {}],
  // mkdir
  ["mkdir basic", 'mkdir d1; mkdir d1; echo "st=$?"; mkdir -p d1; echo "st=$?"', {}],
  ["mkdir -p nested", "mkdir -p x/y/z; ls -R x", {}],
  ["mkdir missing parent", 'mkdir a/b; echo "st=$?"', {}],
  ["mkdir -v -m", "mkdir -v -p m1/m2; mkdir -m 700 priv; stat -c '%a %F' priv", {}],
  ["mkdir over file", 'touch f; mkdir f; echo "st=$?"; mkdir -p f/g; echo "st=$?"', {}],
  // ln / readlink / realpath
  [
    "ln -s",
    "ln -s data/two.txt l2; cat l2; readlink l2; ls -l l2 | awk '{print $(NF-2), $NF}'",
    { files },
  ],
  ["ln hard", "ln data/one.txt hard; stat -c %h data/one.txt; cat hard", { files }],
  [
    "ln exists",
    'ln -s x link-to-one; echo "st=$?"; ln -sf data/two.txt link-to-one; cat link-to-one',
    { files },
  ],
  ["ln into dir", "ln -s ../data/one.txt proj/; ls -l proj/one.txt | awk '{print $NF}'", { files }],
  [
    "readlink -f",
    "readlink -f link-to-one | sed 's|.*/work/||; s|.*/agentos-diff-[^/]*/||'; readlink broken-link; readlink data; echo \"st=$?\"",
    { files },
  ],
  [
    "readlink -e missing",
    "readlink -e broken-link; echo \"st=$?\"; readlink -m broken-link/x | sed 's|.*/||'",
    { files },
  ],
  [
    "realpath relative",
    "realpath --relative-to=proj data/one.txt; realpath -s --relative-to=. link-to-one",
    { files },
  ],
  [
    "realpath missing",
    "realpath nosuch/x; echo \"st=$?\"; realpath -m nosuch/x/../y | sed 's|.*/||'",
    { files },
  ],
  // chmod
  [
    "chmod symbolic",
    "chmod u=rw,go= data/one.txt; chmod a+x data/two.txt; chmod g-r,o-r data/three.log; stat -c '%a %n' data/*",
    { files },
  ],
  ["chmod octal and -R", "chmod -R 750 data; stat -c '%a %n' data data/one.txt", { files }],
  [
    "chmod reference style",
    "chmod 604 data/one.txt; stat -c %A data/one.txt; chmod +t data; stat -c %A data | cut -c10",
    { files },
  ],
  ["chmod missing", 'chmod 644 nosuch; echo "st=$?"', { files }],
  ["chmod invalid mode", 'chmod 9z9 data/one.txt; echo "st=$?"', { files }],
  [
    "chmod -v -c",
    "chmod -v 600 data/one.txt; chmod -c 600 data/one.txt; chmod -c 644 data/one.txt",
    { files },
  ],
  // stat
  [
    "stat -c formats",
    "stat -c '%n|%s|%F|%a|%A' data/one.txt data link-to-one | sed 's/|4096|/|DIR|/'",
    { files },
  ],
  ["stat -L", "stat -L -c '%F %s' link-to-one; stat -c %N link-to-one", { files }],
  ["stat missing", 'stat nosuch; echo "st=$?"', { files }],
  ["stat --printf", "stat --printf '%n:%s\\n' data/one.txt data/two.txt", { files }],
  // du
  ["du -b files", "du -b data/one.txt data/two.txt", { files }],
  ["du -a count", "du -a data | wc -l", { files }],
  ["du missing", 'du nosuch; echo "st=$?"', { files }],
  // touch / truncate
  ["touch creates", "touch new1 new2; ls new*; touch -c nosuch; ls nosuch 2>&1", {}],
  ["touch -d and stat", "touch -d '2020-02-03 04:05:06' f; stat -c %y f; date -r f +%F", {}],
  ["touch -r", "touch -d '2019-01-01' a; touch -r a b; stat -c %Y b", {}],
  [
    "truncate",
    "echo hello > f; truncate -s 2 f; cat f; echo; truncate -s 5 f; od -c f | head -1",
    {},
  ],
  // find
  ["find type and name", "find proj -type f -name '*.ts' | sort", { files }],
  ["find maxdepth", "find proj -maxdepth 1 | sort", { files }],
  ["find prune", "find proj -path proj/build -prune -o -type f -print | sort", { files }],
  ["find empty and not", "find proj -empty; find data ! -name '*.txt' -type f", { files }],
  ["find iname and or", "find . -type f \\( -name '*.log' -o -name '*.md' \\) | sort", { files }],
  ["find exec plus", "find data -type f -exec wc -c {} + | sort", { files }],
  ["find exec semicolon", "find data -name '*.txt' -exec echo file: {} \\; | sort", { files }],
  ["find size", "find data -size +2c -type f | sort", { files }],
  ["find printf", "find data -type f -printf '%f %s\\n' | sort", { files }],
  ["find delete", "find data -name '*.log' -delete; ls data", { files }],
  [
    "find links",
    "find . -maxdepth 1 -type l | sort; find -L . -maxdepth 1 -xtype l | sort",
    { files },
  ],
  ["find missing start", 'find nosuch; echo "st=$?"', { files }],
  ["find mindepth", "find proj -mindepth 2 -type d | sort", { files }],
  ["find print0 xargs", "find data -type f -print0 | sort -z | xargs -0 cat", { files }],
  // xargs
  ["xargs basic", "printf 'a\\nb\\nc\\n' | xargs echo", {}],
  ["xargs -n", "printf '1 2 3 4 5\\n' | xargs -n 2 echo", {}],
  ["xargs -I", "printf 'x\\ny\\n' | xargs -I{} echo 'item {} done'", {}],
  ["xargs no input", "xargs echo ran < /dev/null; xargs -r echo ran2 < /dev/null", {}],
  [
    "xargs status",
    'echo a | xargs false; echo "st=$?"; echo a | xargs nosuchcmd; echo "st=$?"',
    {},
  ],
  ["xargs quotes", "echo \"'a b' c\" | xargs -n1 echo", {}],
  ["xargs -d", "printf 'a,b,c' | xargs -d, -n1 echo", {}],
  ["xargs files", "ls data/*.txt | xargs cat", { files }],
  // tree
  ["tree", "tree proj", { files }],
  ["tree -a -L", "tree -a -L 1 proj", { files }],
  ["tree -d", "tree -d proj", { files }],
  ["tree -f --noreport", "tree -f --noreport data", { files }],
  // basename / dirname
  [
    "basename forms",
    "basename /a/b/c.txt; basename /a/b/c.txt .txt; basename -s .ts x.ts y.ts; basename -a p/q r/s; basename /; basename a/",
    {},
  ],
  ["dirname forms", "dirname /a/b/c; dirname a; dirname /; dirname a/b/ x/y", {}],
  ["basename missing operand", 'basename; echo "st=$?"', {}],
  // mktemp
  [
    "mktemp pattern",
    'f=$(mktemp tmp.XXXXXX); [ -f "$f" ] && echo file; echo "$f" | grep -c \'^tmp\\.[A-Za-z0-9]\\{6\\}$\'',
    {},
  ],
  ["mktemp -d", 'd=$(mktemp -d dir.XXXX); [ -d "$d" ] && echo dir; stat -c %a "$d"', {}],
  [
    "mktemp -p",
    'mkdir t; f=$(mktemp -p t x.XXX); case $f in t/x.???) echo ok;; *) echo "bad $f";; esac',
    {},
  ],
  ["mktemp too few X", 'mktemp fooXX; echo "st=$?"', {}],
  ["mktemp file mode", 'f=$(mktemp m.XXXXXX); stat -c %a "$f"', {}],
  // misc
  ["pwd and cd", "cd proj/src && pwd | sed 's|.*/||' && cd ../.. && ls -d proj", { files }],
  [
    "test -nt on files",
    "touch -d 2020-01-01 data/one.txt; touch -d 2021-01-01 data/two.txt; [ data/two.txt -nt data/one.txt ] && echo newer",
    { files },
  ],
  ["cat -n -A", "printf 'a\\tb\\n\\nc' > f; cat -n f; echo; cat -A f; echo; cat -s -b f", {}],
  ["file types", "file data/one.txt proj/empty link-to-one | sed 's/,.*//'", { files }],
  [
    "install -m",
    "install -m 750 data/one.txt inst; stat -c %a inst; install -d newdir/sub; ls -d newdir/sub",
    { files },
  ],
];
