/** Differential cases: data tools (jq, encodings, checksums, dumps, archives, diff, math, dates). */
import type { ShellCase } from "./case.ts";

const files = {
  "pkg.json": JSON.stringify(
    {
      name: "demo",
      version: "1.2.3",
      scripts: { build: "tsc", test: "node --test" },
      dependencies: { a: "^1.0.0", b: "~2.1.0" },
      keywords: ["x", "y"],
      private: true,
    },
    null,
    2,
  ),
  "items.json":
    '[{"id":1,"name":"apple","price":1.5,"tags":["fruit"]},{"id":2,"name":"bread","price":3,"tags":[]},{"id":3,"name":"cheese","price":7.25,"tags":["dairy","aged"]}]\n',
  "lines.jsonl":
    '{"level":"info","msg":"start"}\n{"level":"error","msg":"boom"}\n{"level":"info","msg":"end"}\n',
  "hello.txt": "hello world\n",
  "bin.dat": new Uint8Array([0, 1, 2, 255, 254, 10, 65, 66, 67, 127, 128, 9]),
  "old.txt": "line one\nline two\nline three\nline four\n",
  "new.txt": "line one\nline 2\nline three\nline four\nline five\n",
  "calc.txt": "3\n5\n8\n",
};

export const DATA_CASES: ShellCase[] = [
  // jq
  ["jq field", "jq -r .name pkg.json; jq .version pkg.json", { files }],
  ["jq keys", "jq -r '.scripts | keys[]' pkg.json; jq -c 'keys' pkg.json", { files }],
  ["jq map select", "jq -r '.[] | select(.price > 2) | .name' items.json", { files }],
  ["jq construct", "jq -c '[.[] | {n: .name, t: (.tags | length)}]' items.json", { files }],
  ["jq compact and sort keys", "jq -cS . pkg.json", { files }],
  [
    "jq to_entries",
    "jq -r '.dependencies | to_entries[] | \"\\(.key)@\\(.value)\"' pkg.json",
    { files },
  ],
  [
    "jq arithmetic",
    "jq '[.[].price] | add, length, (add / length), max, min' items.json",
    { files },
  ],
  [
    "jq slurp jsonl",
    "jq -s 'map(select(.level == \"error\")) | length' lines.jsonl; jq -r .msg lines.jsonl",
    { files },
  ],
  ["jq --arg", "jq -n --arg v hi --argjson n 3 '{v: $v, n: $n}'", {}],
  [
    "jq update",
    'jq -c \'.version = "2.0.0" | del(.scripts) | .keywords += ["z"]\' pkg.json',
    { files },
  ],
  ["jq raw input", "printf 'a\\nb\\n' | jq -R . ; printf 'a\\nb\\n' | jq -Rs .", {}],
  ["jq -e status", 'echo null | jq -e .; echo "st=$?"; echo 1 | jq -e .; echo "st=$?"', {}],
  ["jq parse error", "echo '{bad' | jq .; echo \"st=$?\"", {}],
  [
    "jq tsv and csv",
    "jq -r '.[] | [.id, .name] | @tsv' items.json; jq -r '.[] | [.id, .name] | @csv' items.json",
    { files },
  ],
  [
    "jq string functions",
    'jq -r \'.[] | .name | ascii_upcase, (split("e") | join("-")), test("^a")\' items.json | head -6',
    { files },
  ],
  ["jq group_by", "jq -c 'group_by(.tags | length) | map(map(.id))' items.json", { files }],
  [
    "jq has and path",
    "jq -c 'has(\"name\"), (paths | select(length == 2))' pkg.json | head -5",
    { files },
  ],
  ["jq env and tostring", "X=val jq -n -r 'env.X, (1 | tostring), (\"5\" | tonumber + 1)'", {}],
  [
    "jq null handling",
    "jq -c '.missing, .missing.deep, (.missing // \"default\")' pkg.json",
    { files },
  ],
  [
    "jq indent and tab",
    "jq --indent 1 .scripts pkg.json; jq --tab -c .keywords pkg.json",
    { files },
  ],
  // base64 and friends
  [
    "base64 roundtrip",
    "base64 hello.txt; base64 hello.txt | base64 -d; echo -n abc | base64",
    { files },
  ],
  [
    "base64 wrap",
    "head -c 100 /dev/zero | base64 -w 40; head -c 30 /dev/zero | base64 -w0; echo",
    {},
  ],
  ["base64 invalid", "echo '!!!' | base64 -d; echo \"st=$?\"", {}],
  ["base64 binary", "base64 bin.dat; base64 bin.dat | base64 -d | od -An -tx1", { files }],
  ["base32", "echo -n hello | base32; echo NBSWY3DP | base32 -d; echo", {}],
  // checksums
  ["sha256sum", "sha256sum hello.txt; echo -n '' | sha256sum", { files }],
  ["md5sum and check", "md5sum hello.txt pkg.json > sums; cat sums; md5sum -c sums", { files }],
  [
    "md5sum check failure",
    "echo 'd41d8cd98f00b204e9800998ecf8427e  hello.txt' > sums; md5sum -c sums; echo \"st=$?\"",
    { files },
  ],
  ["sha1 and sha512", "sha1sum hello.txt; sha512sum hello.txt | cut -c1-32", { files }],
  ["cksum", "cksum hello.txt; echo -n abc | cksum", { files }],
  ["checksum missing file", 'sha256sum nosuch; echo "st=$?"', { files }],
  // od / xxd / hexdump
  ["od -c", "od -c bin.dat", { files }],
  ["od -An -tx1", "od -An -tx1 hello.txt; od -tx2 -N4 hello.txt", { files }],
  ["od -t d and o", "od -td1 bin.dat; od -to1 -N3 bin.dat", { files }],
  ["xxd default", "xxd bin.dat; xxd hello.txt", { files }],
  ["xxd -p and -r", "xxd -p hello.txt; xxd -p hello.txt | xxd -r -p", { files }],
  ["xxd -l -s -c", "xxd -l 6 -c 4 hello.txt; xxd -s 6 hello.txt", { files }],
  ["xxd -i", "xxd -i hello.txt", { files }],
  ["hexdump -C", "hexdump -C bin.dat; hexdump -C hello.txt", { files }],
  ["hexdump default", "hexdump hello.txt", { files }],
  ["strings", "printf 'ab\\0cdefg\\0hijklmnop\\1' | strings; printf 'xyz12\\0' | strings -n 3", {}],
  // tar / gzip
  [
    "tar roundtrip",
    "mkdir -p t/sub; echo a > t/a; echo b > t/sub/b; tar cf t.tar t; rm -r t; tar tf t.tar | sort; tar xf t.tar; cat t/a t/sub/b",
    {},
  ],
  [
    "tar gz roundtrip",
    "mkdir d; echo data > d/f; tar czf d.tgz d; rm -r d; tar xzf d.tgz; cat d/f; tar tzf d.tgz | sort",
    {},
  ],
  [
    "tar -C and list verbose names",
    "mkdir src; echo x > src/x; tar -C src -cf x.tar x; mkdir out; tar -C out -xf x.tar; cat out/x",
    {},
  ],
  ["tar missing file", 'tar cf t.tar nosuch; echo "st=$?"', {}],
  [
    "gzip roundtrip",
    "cp hello.txt h.txt; gzip h.txt; ls h.txt*; gunzip h.txt.gz; cat h.txt",
    { files },
  ],
  [
    "gzip -c and zcat",
    "gzip -c hello.txt | gunzip -c; gzip -c hello.txt > h.gz; zcat h.gz",
    { files },
  ],
  [
    "gzip -k -d",
    "gzip -k hello.txt; ls hello.txt*; rm hello.txt; gzip -d hello.txt.gz; cat hello.txt",
    { files },
  ],
  ["gunzip bad input", 'echo notgzip > x.gz; gunzip x.gz; echo "st=$?"', {}],
  [
    "gzip -l style test",
    'gzip -t <(gzip -c hello.txt) 2>/dev/null; gzip -c hello.txt | gzip -t; echo "st=$?"',
    { files },
  ],
  // diff / patch / cmp
  ["diff normal", 'diff old.txt new.txt; echo "st=$?"', { files }],
  ["diff -u", "diff -u old.txt new.txt | tail -n +3", { files }],
  ["diff -u labels", "diff -u --label a/old --label b/new old.txt new.txt", { files }],
  [
    "diff identical",
    'diff old.txt old.txt; echo "st=$?"; diff -q old.txt new.txt; echo "st=$?"',
    { files },
  ],
  [
    "diff -r",
    'mkdir a b; echo 1 > a/f; echo 2 > b/f; echo x > a/only; diff -r a b; echo "st=$?"',
    {},
  ],
  ["diff missing", 'diff old.txt nosuch; echo "st=$?"', { files }],
  [
    "diff ignore options",
    "printf 'a  b\\nC\\n' > x; printf 'a b\\nc\\n' > y; diff -b -i x y; echo \"st=$?\"; diff -w x y | head -2",
    {},
  ],
  ["diff context", "diff -c old.txt new.txt | tail -n +3", { files }],
  [
    "patch apply",
    "diff -u old.txt new.txt > p.diff; patch < p.diff; cmp old.txt new.txt && echo same",
    { files },
  ],
  [
    "patch -p1 and reverse",
    "mkdir a b; printf '1\\n2\\n' > a/f; printf '1\\nX\\n' > b/f; diff -u a/f b/f > p; cp -r a work; cd work; patch -p1 < ../p; cat f; patch -R -p1 < ../p; cat f",
    {},
  ],
  [
    "patch dry run",
    "diff -u old.txt new.txt > p.diff; patch --dry-run < p.diff; cat old.txt | wc -l",
    { files },
  ],
  [
    "cmp differ",
    'cmp old.txt new.txt; echo "st=$?"; cmp -s old.txt old.txt; echo "st=$?"',
    { files },
  ],
  ["cmp -l and eof", "printf 'abc' > x; printf 'abd' > y; cmp -l x y; echo \"st=$?\"", {}],
  // expr / bc / seq
  ["expr arithmetic", "expr 1 + 2; expr 10 / 3; expr 10 % 3; expr 2 \\* 6; expr 5 - 8", {}],
  [
    "expr compare and status",
    "expr 3 \\< 5; expr 3 = 4; echo \"st=$?\"; expr abc : 'a\\(.\\)'; expr length hello",
    {},
  ],
  ["expr errors", 'expr 1 + a; echo "st=$?"; expr; echo "st=$?"', {}],
  ["expr substr index", "expr substr hello 2 3; expr index hello l; expr match abc12 '[a-z]*'", {}],
  ["bc basic", "echo '2+3*4' | bc; echo 'scale=3; 10/3' | bc; echo '2^10' | bc", {}],
  ["bc file", "paste -sd+ calc.txt | bc", { files }],
  ["seq forms", "seq 3; seq 2 4; seq 1 2 7; seq -s, 5; seq -w 9 11; seq 3 -1 1", {}],
  ["seq float and format", "seq 0 0.5 2; seq -f '%03g' 3", {}],
  // date
  ["date -d fixed", "date -d '2024-02-29 13:45:00' '+%Y-%m-%d %H:%M:%S %A %j %U'", {}],
  ["date epoch", "date -d @0 -u; date -u -d @1700000000 +%s; date -d '2024-01-01' +%s", {}],
  [
    "date relative to fixed",
    "date -d '2024-01-31 +1 day' +%F; date -d '2024-03-01 -1 day' +%F",
    {},
  ],
  [
    "date iso and rfc",
    "date -u -d '2024-05-06T07:08:09' -Iseconds; date -u -d '2024-05-06 07:08:09' -R",
    {},
  ],
  ["date format chars", "date -u -d '2024-07-04 09:05:03' '+%a %b %e %I %p %M %S %y %Z %%'", {}],
  ["date invalid", "date -d 'not a date'; echo \"st=$?\"", {}],
  ["date TZ", "TZ=America/New_York date -d '2024-01-15 12:00 UTC' '+%H:%M %Z'", {}],
  // printf / numeric formatting through commands
  ["printf command", "/usr/bin/printf '%5.2f|%x|%s\\n' 3.14159 255 str", {}],
  ["numfmt style via awk", "echo 1536 | awk '{printf \"%.1fK\\n\", $1/1024}'", {}],
  ["sort -h", "printf '1K\\n512\\n2M\\n1G\\n' | sort -h", {}],
  [
    "split and cat",
    "printf '%s\\n' 1 2 3 4 5 6 7 8 9 10 > n; split -l 4 n part.; ls part.*; cat part.* | wc -l",
    {},
  ],
];
