/** permissions.network allow/deny entries: the forms they take and what each matches. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { parseIp } from "./address.ts";
import { parseNetworkRule, ruleMatches } from "./network-rule.ts";

function matches(
  entry: string,
  name: string | undefined,
  address: string | undefined,
  port: number,
) {
  return ruleMatches(parseNetworkRule(entry), {
    name,
    address: address === undefined ? undefined : parseIp(address),
    port,
  });
}

test("host names: exact (case-insensitive, trailing dot) and *. wildcards", () => {
  assert.equal(matches("example.com", "example.com", "93.184.215.14", 443), true);
  assert.equal(matches("Example.COM.", "example.com", undefined, 80), true);
  assert.equal(matches("example.com", "api.example.com", undefined, 80), false);
  assert.equal(matches("*.example.com", "api.example.com", undefined, 80), true);
  assert.equal(matches("*.example.com", "a.b.example.com", undefined, 80), true);
  assert.equal(matches("*.example.com", "example.com", undefined, 80), false);
  assert.equal(matches("*.example.com", "badexample.com", undefined, 80), false);
  // A name entry never matches a connection made by address.
  assert.equal(matches("example.com", undefined, "93.184.215.14", 80), false);
});

test("addresses and CIDR ranges, IPv4 and IPv6, IPv4-mapped forms", () => {
  assert.equal(matches("10.0.0.0/8", undefined, "10.20.30.40", 5432), true);
  assert.equal(matches("10.0.0.0/8", "db.internal", "10.20.30.40", 5432), true);
  assert.equal(matches("10.0.0.0/8", undefined, "11.0.0.1", 5432), false);
  assert.equal(matches("203.0.113.7", undefined, "203.0.113.7", 1), true);
  assert.equal(matches("203.0.113.7", undefined, "203.0.113.8", 1), false);
  assert.equal(matches("fd00::/8", undefined, "fd12::1", 80), true);
  assert.equal(matches("fd00::/8", undefined, "10.0.0.1", 80), false);
  assert.equal(matches("2001:db8::1", undefined, "2001:db8:0:0::1", 80), true);
  assert.equal(matches("::ffff:10.0.0.0/104", undefined, "10.9.9.9", 80), true);
  assert.equal(matches("10.0.0.1", undefined, "::ffff:10.0.0.1", 80), true);
});

test("ports: host:port, [v6]:port, CIDR:port, *:port", () => {
  assert.equal(matches("example.com:443", "example.com", undefined, 443), true);
  assert.equal(matches("example.com:443", "example.com", undefined, 80), false);
  assert.equal(matches("[2001:db8::1]:8080", undefined, "2001:db8::1", 8080), true);
  assert.equal(matches("[2001:db8::1]:8080", undefined, "2001:db8::1", 8081), false);
  assert.equal(matches("[fd00::/8]:5432", undefined, "fd00::5", 5432), true);
  assert.equal(matches("10.0.0.0/8:5432", undefined, "10.1.1.1", 5432), true);
  assert.equal(matches("10.0.0.0/8:5432", undefined, "10.1.1.1", 5433), false);
  assert.equal(matches("*:443", "anything.example", "198.51.100.1", 443), true);
  assert.equal(matches("*:443", "anything.example", "198.51.100.1", 80), false);
  assert.equal(matches("*", "x", "198.51.100.1", 1), true);
  assert.equal(matches("example.com:*", "example.com", undefined, 9), true);
});

test("malformed entries are rejected with the entry named", () => {
  for (const bad of [
    "",
    "exa mple.com",
    "ex*ample.com",
    "example.com:0",
    "example.com:70000",
    "example.com:http",
    "10.0.0.0/33",
    "2001:db8::1:99999",
    "[10.0.0.1]:80",
    "[2001:db8::1",
    "http://example.com",
  ]) {
    assert.throws(
      () => parseNetworkRule(bad),
      (err: unknown) => {
        assert.ok(err instanceof TypeError);
        assert.ok(
          err.message.startsWith(`invalid network rule ${JSON.stringify(bad)}`),
          err.message,
        );
        return true;
      },
    );
  }
});
