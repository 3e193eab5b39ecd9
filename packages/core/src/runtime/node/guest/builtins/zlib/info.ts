/** zlib's constants and error codes, from the host on first use (never at snapshot time). */
import { hostSync } from "../crypto/host-result.ts";

interface ZlibInfo {
  constants: Record<string, number>;
  codes: Record<string, string | number>;
}

let info: ZlibInfo | undefined;

function hostInfo(): ZlibInfo {
  info ??= hostSync<ZlibInfo>("zlib.info");
  return info;
}

export function zlibConstants(): Record<string, number> {
  return hostInfo().constants;
}

export function zlibCodes(): Record<string, string | number> {
  return hostInfo().codes;
}
