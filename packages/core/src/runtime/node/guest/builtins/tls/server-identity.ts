/**
 * tls.checkServerIdentity: whether a certificate names `hostname` (subjectaltname DNS/IP
 * entries, or the subject's CN when there are none). The rules are Node's own, run on the host
 * over the certificate's plain fields, so the answer and the error's wording are exactly Node's.
 */
import { callSync } from "../../host.ts";

interface IdentityError {
  message: string;
  code?: string;
  reason?: string;
  host?: string;
}

export function checkServerIdentity(
  hostname: string,
  cert: Record<string, unknown>,
): Error | undefined {
  const plain: Record<string, unknown> = {};
  for (const key of ["subject", "subjectaltname"]) {
    const value = cert?.[key];
    if (value !== undefined) plain[key] = value && typeof value === "object" ? { ...value } : value;
  }
  const failure = callSync<IdentityError | null>(
    "tls.checkServerIdentity",
    String(hostname),
    plain,
  );
  if (!failure) return undefined;
  const error = new Error(failure.message) as Error & Record<string, unknown>;
  error.code = failure.code;
  error.reason = failure.reason;
  error.host = failure.host;
  error.cert = cert;
  return error;
}
