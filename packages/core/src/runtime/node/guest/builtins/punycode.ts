/** node:punycode: punycode.js 2.x (the library Node vendors), with Node's DEP0040 on load. */
import * as punycode from "punycode/";

export function createPunycode(): unknown {
  process.emitWarning(
    "The `punycode` module is deprecated. Please use a userland alternative instead.",
    "DeprecationWarning",
    "DEP0040",
  );
  const { ucs2, decode, encode, toASCII, toUnicode } = punycode;
  // Node vendors punycode.js 2.1.0 and reports that; the API is unchanged in the 2.3 release used.
  return { version: "2.1.0", ucs2, decode, encode, toASCII, toUnicode };
}
