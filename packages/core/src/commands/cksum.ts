/**
 * cksum: POSIX CRC-32 and size ("CRC SIZE NAME") as GNU cksum 9.1; -a bsd|sysv|crc or a digest
 * (md5 sha1 sha224 sha256 sha384 sha512 blake2b, tagged unless --untagged; -c checks them).
 */
import type { CommandDefinition } from "../kernel/command-registry.ts";
import type { ProcessContext } from "../kernel/process-context.ts";
import { describeError, quoteName } from "./errors.ts";
import { DIGESTS, type DigestAlgo, runDigestCommand } from "./lib/text-checksum.ts";
import { argmatch, getopt, UsageError } from "./lib/text-getopt.ts";
import { argToLatin1, OutBuffer, openInput } from "./lib/text-io.ts";

const ALGOS: [string, string][] = [
  ["bsd", "bsd"],
  ["sysv", "sysv"],
  ["crc", "crc"],
  ["md5", "md5sum"],
  ["sha1", "sha1sum"],
  ["sha224", "sha224sum"],
  ["sha256", "sha256sum"],
  ["sha384", "sha384sum"],
  ["sha512", "sha512sum"],
  ["blake2b", "b2sum"],
  ["sm3", "sm3"],
];

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i << 24;
    for (let k = 0; k < 8; k++) c = c & 0x80000000 ? (c << 1) ^ 0x04c11db7 : c << 1;
    t[i] = c >>> 0;
  }
  return t;
})();

interface Summer {
  update(chunk: Uint8Array): void;
  line(size: number, name: string | undefined): string;
}

function crcSummer(): Summer {
  let crc = 0;
  return {
    update(chunk) {
      for (const b of chunk) crc = ((crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ b) & 0xff]) >>> 0;
    },
    line(size, name) {
      let c = crc;
      for (let n = size; n > 0; n = Math.floor(n / 256))
        c = ((c << 8) ^ CRC_TABLE[((c >>> 24) ^ (n & 0xff)) & 0xff]) >>> 0;
      const value = ~c >>> 0;
      return `${value} ${size}${name === undefined ? "" : ` ${name}`}\n`;
    },
  };
}

function bsdSummer(): Summer {
  let sum = 0;
  return {
    update(chunk) {
      for (const b of chunk) sum = ((sum >> 1) + ((sum & 1) << 15) + b) & 0xffff;
    },
    line(size, name) {
      const blocks = Math.ceil(size / 1024);
      return `${String(sum).padStart(5, "0")} ${String(blocks).padStart(5, " ")}${name === undefined ? "" : ` ${name}`}\n`;
    },
  };
}

function sysvSummer(): Summer {
  let sum = 0;
  return {
    update(chunk) {
      for (const b of chunk) sum = (sum + b) >>> 0;
    },
    line(size, name) {
      const r = (sum & 0xffff) + (sum >>> 16);
      const checksum = (r & 0xffff) + (r >>> 16);
      return `${checksum} ${Math.ceil(size / 512)}${name === undefined ? "" : ` ${name}`}\n`;
    },
  };
}

export const cksum: CommandDefinition = {
  name: "cksum",
  async main(ctx) {
    const args = ctx.argv.slice(1);
    let algo = "crc";
    let untagged = false;
    const rest: string[] = [];
    try {
      for (let i = 0; i < args.length; i++) {
        const a = args[i];
        if (a === "--") {
          rest.push(...args.slice(i));
          break;
        }
        let value: string | undefined;
        if (a === "-a" || a === "--algorithm" || a === "--algo") value = args[++i];
        else if (a.startsWith("--algorithm=") || a.startsWith("--algo="))
          value = a.slice(a.indexOf("=") + 1);
        else if (/^-a./.test(a)) value = a.slice(2);
        else if (a === "--untagged") {
          untagged = true;
          continue;
        } else {
          rest.push(a);
          continue;
        }
        if (value === undefined) throw new UsageError("option requires an argument -- 'a'");
        algo = argmatch(value, "--algorithm", ALGOS);
      }
    } catch (err) {
      if (!(err instanceof UsageError)) throw err;
      await ctx.err(`cksum: ${err.message}\nTry 'cksum --help' for more information.\n`);
      return 1;
    }
    if (algo === "sm3") {
      await ctx.err("cksum: option '-a sm3' is not supported\n");
      return 1;
    }
    const digest = DIGESTS[algo];
    if (digest) {
      const algoInfo: DigestAlgo = { ...digest, program: "cksum" };
      const isCheck = rest.some((a) => a === "-c" || a === "--check" || /^-[a-z]*c/.test(a));
      return runDigestCommand(ctx, algoInfo, untagged || isCheck ? rest : ["--tag", ...rest]);
    }
    return runSimple(ctx, algo, rest);
  },
};

async function runSimple(ctx: ProcessContext, algo: string, args: string[]): Promise<number> {
  let operands: string[];
  try {
    const parsed = getopt(args, "cl:wz", [
      { name: "check", arg: "none", key: "c" },
      { name: "tag", arg: "none", key: "tag" },
      { name: "help", arg: "none" },
      { name: "version", arg: "none" },
    ]);
    operands = parsed.operands;
    for (const opt of parsed.options) {
      if (opt.key === "c") {
        await ctx.err("cksum: --check is not supported with --algorithm={bsd,sysv,crc}\n");
        return 1;
      }
      if (opt.key === "help") {
        await ctx.out("Usage: cksum [OPTION]... [FILE]...\n");
        return 0;
      }
      if (opt.key === "version") {
        await ctx.out("cksum (GNU coreutils) 9.1\n");
        return 0;
      }
      if (opt.key !== "tag") {
        await ctx.err(`cksum: option '${opt.spelled}' is not supported\n`);
        return 1;
      }
    }
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    await ctx.err(`cksum: ${err.message}\nTry 'cksum --help' for more information.\n`);
    return 1;
  }
  const out = new OutBuffer(ctx);
  let status = 0;
  const files = operands.length > 0 ? operands : ["-"];
  for (const name of files) {
    const summer = algo === "bsd" ? bsdSummer() : algo === "sysv" ? sysvSummer() : crcSummer();
    let size = 0;
    try {
      const input = await openInput(ctx, name);
      try {
        for (;;) {
          const chunk = await ctx.read(input.fd);
          if (chunk === null || chunk.length === 0) break;
          summer.update(chunk);
          size += chunk.length;
        }
      } finally {
        input.close();
      }
    } catch (err) {
      if (!ctx.alive) throw err;
      await out.flush();
      await ctx.err(`cksum: ${quoteName(name)}: ${describeError(err)}\n`);
      status = 1;
      continue;
    }
    await out.write(summer.line(size, operands.length > 0 ? argToLatin1(name) : undefined));
  }
  await out.flush();
  return status;
}
