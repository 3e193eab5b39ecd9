/**
 * node:sea: a guest program is never a single-executable application, so `isSea()` is false
 * and the asset getters throw Node's own error for that case (feature checks such as
 * `process.getBuiltinModule("node:sea")?.isSea()` then work as on a plain `node`).
 */
import { codedError, invalidArgType } from "../errors.ts";

function notInSea(): Error {
  return codedError(
    Error,
    "ERR_NOT_IN_SINGLE_EXECUTABLE_APPLICATION",
    "Operation cannot be invoked when not in a single-executable application",
  );
}

function assetGetter(): (key: unknown) => never {
  return (key: unknown) => {
    if (typeof key !== "string") throw invalidArgType("key", "of type string", key);
    throw notInSea();
  };
}

export function createSea(): unknown {
  return {
    isSea: () => false,
    getAsset: assetGetter(),
    getRawAsset: assetGetter(),
    getAssetAsBlob: assetGetter(),
    getAssetKeys: (): never => {
      throw notInSea();
    },
  };
}
