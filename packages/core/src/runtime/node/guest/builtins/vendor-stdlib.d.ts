/** Types for the untyped packages the guest's standard library bundles. */
declare module "@pkgjs/parseargs" {
  export function parseArgs(config?: object): {
    values: Record<string, unknown>;
    positionals: string[];
    tokens?: Array<{
      kind: string;
      name?: string;
      rawName?: string;
      index: number;
      value?: unknown;
      inlineValue?: boolean;
    }>;
  };
}
