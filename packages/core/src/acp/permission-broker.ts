/**
 * Answers an agent's `session/request_permission` under the VM's policy: "allow" and "reject"
 * answer at once; "ask" hands the request to the session's handlers and waits for
 * `respondPermission`, rejecting when nobody answers within the timeout, so an agent never
 * hangs on a host that is not listening.
 */
import type { PermissionOption, RequestPermissionOutcome } from "@agentclientprotocol/sdk/unstable";
import type {
  AgentPermissionPolicy,
  PermissionReply,
  PermissionRequest,
  PermissionRequestHandler,
} from "./session-types.ts";

export const DEFAULT_PERMISSION_TIMEOUT_MS = 60_000;

interface Waiting {
  request: PermissionRequest;
  resolve: (outcome: RequestPermissionOutcome) => void;
  timer: NodeJS.Timeout;
}

/** The option an agent offered that matches `reply`, preferring the exact kind. */
export function chooseOption(
  options: readonly PermissionOption[],
  reply: PermissionReply,
): PermissionOption | undefined {
  const preference: Record<PermissionReply, PermissionOption["kind"][]> = {
    once: ["allow_once", "allow_always"],
    always: ["allow_always", "allow_once"],
    reject: ["reject_once", "reject_always"],
  };
  for (const kind of preference[reply]) {
    const option = options.find((o) => o.kind === kind);
    if (option) return option;
  }
  return undefined;
}

export function outcomeFor(
  options: readonly PermissionOption[],
  reply: PermissionReply,
): RequestPermissionOutcome {
  const option = chooseOption(options, reply);
  // An agent offering no rejecting option still gets a refusal: the cancelled outcome.
  return option ? { outcome: "selected", optionId: option.optionId } : { outcome: "cancelled" };
}

export class PermissionBroker {
  readonly #policy: Required<AgentPermissionPolicy>;
  readonly #handlers = new Set<PermissionRequestHandler>();
  readonly #waiting = new Map<string, Waiting>();
  #next = 1;
  /** Told of every decision, for the transcript. */
  readonly #onDecision: (request: PermissionRequest, reply: PermissionReply, by: string) => void;

  constructor(
    policy: AgentPermissionPolicy | undefined,
    onDecision: (request: PermissionRequest, reply: PermissionReply, by: string) => void,
  ) {
    this.#policy = {
      mode: policy?.mode ?? "ask",
      timeoutMs: policy?.timeoutMs ?? DEFAULT_PERMISSION_TIMEOUT_MS,
    };
    this.#onDecision = onDecision;
  }

  onRequest(handler: PermissionRequestHandler): () => void {
    this.#handlers.add(handler);
    return () => {
      this.#handlers.delete(handler);
    };
  }

  get pending(): PermissionRequest[] {
    return [...this.#waiting.values()].map((w) => w.request);
  }

  /** Decides one request of the agent; `announce` records it before anyone answers. */
  decide(
    sessionId: string,
    params: Pick<PermissionRequest, "toolCall" | "options">,
    announce: (request: PermissionRequest) => void,
  ): Promise<RequestPermissionOutcome> {
    const request: PermissionRequest = {
      sessionId,
      permissionId: `perm-${this.#next++}`,
      toolCall: params.toolCall,
      options: params.options,
    };
    announce(request);
    if (this.#policy.mode !== "ask") {
      const reply: PermissionReply = this.#policy.mode === "allow" ? "always" : "reject";
      this.#onDecision(request, reply, "policy");
      return Promise.resolve(outcomeFor(request.options, reply));
    }
    return new Promise((resolve) => {
      const timer = setTimeout(
        () => this.#finish(request.permissionId, "reject", "timeout"),
        this.#policy.timeoutMs,
      );
      this.#waiting.set(request.permissionId, { request, resolve, timer });
      for (const handler of [...this.#handlers]) {
        try {
          handler(request);
        } catch (err) {
          process.emitWarning(
            `onPermissionRequest handler threw: ${(err as Error)?.message ?? err}`,
          );
        }
      }
    });
  }

  /** Answers a waiting request; false when it is not (or no longer) waiting. */
  respond(permissionId: string, reply: PermissionReply): boolean {
    return this.#finish(permissionId, reply, "host");
  }

  #finish(permissionId: string, reply: PermissionReply, by: string): boolean {
    const waiting = this.#waiting.get(permissionId);
    if (!waiting) return false;
    this.#waiting.delete(permissionId);
    clearTimeout(waiting.timer);
    this.#onDecision(waiting.request, reply, by);
    waiting.resolve(outcomeFor(waiting.request.options, reply));
    return true;
  }

  /** The session is going away: every waiting request is cancelled. */
  cancelAll(): void {
    for (const [id, waiting] of this.#waiting) {
      this.#waiting.delete(id);
      clearTimeout(waiting.timer);
      waiting.resolve({ outcome: "cancelled" });
    }
  }
}
