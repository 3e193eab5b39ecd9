/** node:constants (deprecated but still loadable): os, fs and crypto constants in one object. */
import { createCrypto } from "./crypto.ts";
import { FS_CONSTANTS } from "./fs/constants.ts";
import {
  DLOPEN_CONSTANTS,
  ERRNO_CONSTANTS,
  PRIORITY_CONSTANTS,
  SIGNALS_CONSTANTS,
} from "./system-constants.ts";

export function createConstants(): unknown {
  const crypto = createCrypto() as { constants?: Record<string, unknown> };
  return Object.assign(
    {},
    DLOPEN_CONSTANTS,
    ERRNO_CONSTANTS,
    PRIORITY_CONSTANTS,
    SIGNALS_CONSTANTS,
    FS_CONSTANTS,
    crypto.constants ?? {},
  );
}
