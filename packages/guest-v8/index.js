// Where the built library is. npm builds it on install (node-gyp, against the headers of the
// Node that runs npm: `./dev` points npm_config_nodedir at Node 24's).
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const guestV8AddonPath = fileURLToPath(
  new URL("./build/Release/guest_v8.node", import.meta.url),
);

/** The library's path; a clear error when it was never built. */
export function requireGuestV8Addon() {
  if (!existsSync(guestV8AddonPath)) {
    throw new Error(
      `@agentos/guest-v8 is not built (${guestV8AddonPath} is missing): run \`npm rebuild @agentos/guest-v8\` with Node 24 and a C++ compiler (./dev does this on install)`,
    );
  }
  return guestV8AddonPath;
}
