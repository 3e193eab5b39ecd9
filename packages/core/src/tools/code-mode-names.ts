/**
 * How host tools appear to guest JavaScript ("code mode"): the module specifier, where the
 * generated type declarations live in the VM, and the identifier of each kit and tool. Kit and
 * tool names are command-safe words (`my-app`, `create-ticket`); in JavaScript they are
 * camel-cased (`myApp`, `createTicket`) so they can be imported and called with a dot.
 */

/** `import { myapp } from "agentos:tools"` / `require("agentos:tools")`. */
export const CODE_MODE_SPECIFIER = "agentos:tools";

/** The generated `.d.ts` of the VM's toolkits (also printed by `agentos list-tools --dts`). */
export const TOOLS_DTS_PATH = "/usr/lib/agentos/tools.d.ts";

/** my-app → myApp, create_ticket stays; a leading digit gets "_" (identifiers cannot start so). */
export function kitIdentifier(name: string): string {
  const camel = camelCase(name);
  return /^[0-9]/.test(camel) ? `_${camel}` : camel;
}

/** create-ticket → createTicket; may start with a digit (then it is used as obj["2fa"]). */
export function toolIdentifier(name: string): string {
  return camelCase(name);
}

function camelCase(name: string): string {
  return name.replace(/-+([A-Za-z0-9]?)/g, (_, next: string) => next.toUpperCase());
}

/** Whether `name` can be written after a dot or as an unquoted property key. */
export function isIdentifierName(name: string): boolean {
  return /^[A-Za-z_$][\w$]*$/.test(name);
}
