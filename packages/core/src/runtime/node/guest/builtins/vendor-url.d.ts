/** Types for the punycode.js entry point node:url and node:punycode use (trailing slash: the package, not Node's module). */
declare module "punycode/" {
  export function toASCII(domain: string): string;
  export function toUnicode(domain: string): string;
  export function encode(text: string): string;
  export function decode(text: string): string;
  export const ucs2: { decode(text: string): number[]; encode(codes: number[]): string };
  export const version: string;
}
