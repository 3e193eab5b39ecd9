/**
 * The global URL class: whatwg-url's, with Node's error for input it cannot parse. Node throws
 * TypeError [ERR_INVALID_URL] "Invalid URL" carrying `input` (and `base`); whatwg-url a bare
 * TypeError naming the input in its message. A Proxy keeps the class itself (its prototype,
 * statics such as URL.parse, and instanceof for URLs made inside whatwg-url) unchanged.
 */

const PARSE_FAILURE = /^Invalid (?:base )?URL: /;

export function withNodeUrlErrors<T extends abstract new (...args: never[]) => object>(
  URLClass: T,
): T {
  return new Proxy(URLClass, {
    construct(target, args, newTarget) {
      try {
        return Reflect.construct(target, args, newTarget);
      } catch (error) {
        if (!(error instanceof TypeError) || !PARSE_FAILURE.test(error.message)) throw error;
        // Node's stack header reads "TypeError: Invalid URL", without the code.
        const invalid = new TypeError("Invalid URL") as TypeError & Record<string, unknown>;
        invalid.code = "ERR_INVALID_URL";
        invalid.input = `${args[0]}`;
        if (args[1] !== undefined) invalid.base = `${args[1]}`;
        throw invalid;
      }
    },
  });
}
