/** date: differential against GNU date with fixed dates (-d) so output is deterministic. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { runBoth, runInVm } from "./testing.ts";

const FORMAT =
  "+%Y-%m-%d %H:%M:%S|%s|%a %A %b %B|%c|%D|%F|%T|%R|%r|%p %P|%Z %z %:z %::z %:::z|%u %w|%U %V %G %g|%j|%e|%k|%l|%C %y|%n%t%%|%h|%x %X|%q";
const PADDING = "+%-d|%_d|%0e|%^a|%#Z|%#p|%^B|%10A|%-10B|%_5m|%05d|%3N|%6N|%N|%-j|%_H|%-I";

const DATES = [
  "2024-01-15 10:20:30",
  "2024-02-29",
  "2023-12-31 23:59:59",
  "2021-01-03 12:00",
  "2020-12-28",
  "1970-01-01",
  "1969-12-31 12:00",
  "2000-02-29 00:00:01",
  "@1700000000",
  "@0",
  "@-1",
  "@1700000000.123456789",
  "2024-01-15T10:00:00Z",
  "2024-01-15T10:00:00+05:30",
  "2024-01-15 10:00:00 UTC",
  "2024-01-15 10:00 +1 day",
  "2024-01-15 10:00 -1 hour",
  "Jan 31 2024 +1 month",
  "2024-01-15 next monday",
  "20240115",
  "2024-01-15 1030",
  "2024-01-15 3:04:05 pm",
  "Mon Jan 15 10:00:00 UTC 2024",
  "15 Jan 2024",
  "January 15, 2024",
  "1/15/2024",
  "2024-01-15 12am",
  "1 year ago 2024-03-01",
  "-2 days 2024-03-01",
  "2024-01-15 EST",
  "2024-01-15 10:00 +0200",
  "tomorrow 2024-01-01",
  "yesterday 2024-01-01",
  "2024-02-29 +1 year",
  "2024-01-15 +3 weeks",
  "2024-01-15 08:00 +90 minutes",
  "2024-01-15 next week",
  "2024-01-15 last month",
  "15-Jan-2024",
  "2024-1-5",
  "2024-01-15T10:30",
  "2024-01-15 fortnight ago",
  "2024-07-04 12:00:00.5",
];

for (const d of DATES) {
  test(`date -d ${JSON.stringify(d)} +FORMAT`, async () => {
    const { vm, host } = await runBoth(["date", "-d", d, FORMAT]);
    assert.deepEqual(vm, host);
  });
}

for (const d of ["2024-01-05 09:08:07", "2024-12-25 23:00:00.987654321"]) {
  test(`date -d ${JSON.stringify(d)} padding flags`, async () => {
    const { vm, host } = await runBoth(["date", "-d", d, PADDING]);
    assert.deepEqual(vm, host);
  });
}

const ZONES = [
  "UTC",
  "UTC0",
  "America/New_York",
  "America/Los_Angeles",
  "Europe/Berlin",
  "Europe/London",
  "Asia/Kolkata",
  "Asia/Tokyo",
  "Australia/Sydney",
  "EST5EDT",
  "UTC+3",
  "<+0530>-5:30",
];
for (const tz of ZONES) {
  for (const d of ["2024-01-15 10:00", "2024-07-15 10:00", "@1700000000"]) {
    test(`TZ=${tz} date -d ${JSON.stringify(d)}`, async () => {
      const { vm, host } = await runBoth(["date", "-d", d], { env: { TZ: tz } });
      assert.deepEqual(vm, host);
      const iso = await runBoth(["date", "-d", d, "+%F %T %Z %z"], { env: { TZ: tz } });
      assert.deepEqual(iso.vm, iso.host);
    });
  }
}

const OPTION_CASES: string[][] = [
  ["-d", "2024-01-15 10:20:30"],
  ["-u", "-d", "@0"],
  ["--utc", "-d", "@86400"],
  ["--universal", "-d", "@86400"],
  ["-d", "2024-01-15 10:20:30.123456789", "-I"],
  ["-d", "2024-01-15 10:20:30.123456789", "-Idate"],
  ["-d", "2024-01-15 10:20:30.123456789", "-Ih"],
  ["-d", "2024-01-15 10:20:30.123456789", "-Ihours"],
  ["-d", "2024-01-15 10:20:30.123456789", "-Iminutes"],
  ["-d", "2024-01-15 10:20:30.123456789", "-Iseconds"],
  ["-d", "2024-01-15 10:20:30.123456789", "-Ins"],
  ["-d", "2024-01-15 10:20:30.123456789", "--iso-8601=seconds"],
  ["-d", "2024-01-15 10:20:30.123456789", "--iso=sec"],
  ["-d", "2024-01-15 10:20:30.123456789", "-R"],
  ["-d", "2024-01-15 10:20:30.123456789", "--rfc-email"],
  ["-d", "2024-01-15 10:20:30.123456789", "--rfc-3339=date"],
  ["-d", "2024-01-15 10:20:30.123456789", "--rfc-3339=seconds"],
  ["-d", "2024-01-15 10:20:30.123456789", "--rfc-3339=ns"],
  ["--date=2024-03-01", "+%F"],
  ["--date", "2024-03-01", "+%F"],
  ["-d2024-03-01", "+%F"],
  ["-d", "x", "-d", "2024-01-01", "+%F"],
  ["-Ix"],
  ["--rfc-3339"],
  ["--rfc-3339=foo"],
  ["-R", "-I"],
  ["-d", "2024-01-15", "+%Y", "+%m"],
  ["-d", "2024-01-15", "-R", "+%Y"],
  ["-d", "xyz"],
  ["-d", "2024-02-30"],
  ["-d", "2024-01-15 25:00"],
  ["-d"],
  ["-Q"],
  ["--foo"],
  ["0101"],
  ["-r", "missing"],
  ["-d", "2024-01-15", "-r", "file.txt"],
  ["-d", "", "+%F %T"],
];
for (const args of OPTION_CASES) {
  test(`date ${JSON.stringify(args)}`, async () => {
    const { vm, host } = await runBoth(["date", ...args], { files: { "file.txt": "x" } });
    assert.deepEqual(vm, host);
  });
}

test("date -d today is today's date", async () => {
  const vm = await runInVm(["date", "-d", "today", "+%F"]);
  assert.equal(vm.stdout, `${new Date().toISOString().slice(0, 10)}\n`);
});

test("date: default format is 'Sat Nov 21 10:00:00 UTC 2026'-like and close to now", async () => {
  const vm = await runInVm(["date", "+%s"]);
  assert.ok(Math.abs(Number(vm.stdout) - Date.now() / 1000) < 5);
  const plain = await runInVm(["date"]);
  assert.match(plain.stdout, /^[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d UTC \d{4}\n$/);
});

test("date -r FILE prints the file's mtime", async () => {
  const vm = await runInVm(["date", "-r", "file.txt", "+%s"], { files: { "file.txt": "x" } });
  assert.equal(vm.exitCode, 0);
  assert.ok(Math.abs(Number(vm.stdout) - Date.now() / 1000) < 60);
});

test("date -s and MMDDhhmm cannot set the clock", async () => {
  for (const args of [["-s", "2024-01-01"], ["--set=2024-01-01"], ["01011200"]]) {
    const vm = await runInVm(["date", ...args]);
    assert.deepEqual(vm, {
      stdout: "",
      stderr: "date: cannot set date: Operation not permitted\n",
      exitCode: 1,
    });
  }
});

test("date -f FILE parses one date per line", async () => {
  const { vm, host } = await runBoth(["date", "-f", "dates", "+%F"], {
    files: { dates: "2024-01-01\nbad\n2024-02-02 10:00\n" },
  });
  assert.deepEqual(vm, host);
});
