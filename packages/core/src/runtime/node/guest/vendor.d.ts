/** Types for the untyped polyfill packages the guest runtime bundles. */
declare module "readable-stream" {
  import stream = require("node:stream");
  export = stream;
}
declare module "whatwg-url" {
  export const URL: typeof globalThis.URL;
  export const URLSearchParams: typeof globalThis.URLSearchParams;
}
