/**
 * The functions that take an optional callback (pbkdf2, scrypt, hkdf, generateKeyPair, sign,
 * verify). Without one, the host runs the *Sync form. With one, the host starts its own async
 * form at once — so bad arguments throw here, synchronously, as in Node — and the result comes
 * back in a later task.
 */
import type { Callback } from "../../host.ts";
import { hostAsync, hostSync } from "./host-result.ts";
import { marshalKeyInput, unmarshalKeyOutput } from "./keys.ts";

function marshalArgs(args: unknown[]): unknown[] {
  return args.map((arg) => marshalKeyInput(arg));
}

export function runJobSync<T>(kind: string, args: unknown[]): T {
  return unmarshalKeyOutput(hostSync<T>("crypto.sync", kind, marshalArgs(args))) as T;
}

export function runJob<T>(kind: string, args: unknown[], callback: Callback<T>): void {
  const id = hostSync<number>("crypto.job.start", kind, marshalArgs(args));
  hostAsync<T>("crypto.job.wait", [id], (error, value) => {
    if (error) callback(error);
    else callback(null, unmarshalKeyOutput(value) as T);
  });
}
