/** The `navigator` global Node has: a Navigator with read-only facts about the runtime. */
const CONSTRUCT = Symbol("Navigator");

export class Navigator {
  constructor(token?: symbol) {
    if (token !== CONSTRUCT) throw new TypeError("Illegal constructor");
  }

  get hardwareConcurrency(): number {
    // The same number os.availableParallelism() reports inside the VM.
    return 1;
  }

  get language(): string {
    return Intl.DateTimeFormat().resolvedOptions().locale;
  }

  get languages(): string[] {
    return [this.language];
  }

  get platform(): string {
    return `Linux ${process.arch === "arm64" ? "aarch64" : "x86_64"}`;
  }

  get userAgent(): string {
    return `Node.js/${process.versions.node.split(".")[0]}`;
  }
}

export function createNavigator(): Navigator {
  return new Navigator(CONSTRUCT);
}
