/**
 * DOMException as WebIDL defines it (and Node exposes globally): an Error whose `code` is the
 * legacy number of its name, with the legacy constants on the class and its prototype.
 */
const LEGACY_CODES: Record<string, [constant: string, code: number]> = {
  IndexSizeError: ["INDEX_SIZE_ERR", 1],
  DOMStringSizeError: ["DOMSTRING_SIZE_ERR", 2],
  HierarchyRequestError: ["HIERARCHY_REQUEST_ERR", 3],
  WrongDocumentError: ["WRONG_DOCUMENT_ERR", 4],
  InvalidCharacterError: ["INVALID_CHARACTER_ERR", 5],
  NoDataAllowedError: ["NO_DATA_ALLOWED_ERR", 6],
  NoModificationAllowedError: ["NO_MODIFICATION_ALLOWED_ERR", 7],
  NotFoundError: ["NOT_FOUND_ERR", 8],
  NotSupportedError: ["NOT_SUPPORTED_ERR", 9],
  InUseAttributeError: ["INUSE_ATTRIBUTE_ERR", 10],
  InvalidStateError: ["INVALID_STATE_ERR", 11],
  SyntaxError: ["SYNTAX_ERR", 12],
  InvalidModificationError: ["INVALID_MODIFICATION_ERR", 13],
  NamespaceError: ["NAMESPACE_ERR", 14],
  InvalidAccessError: ["INVALID_ACCESS_ERR", 15],
  ValidationError: ["VALIDATION_ERR", 16],
  TypeMismatchError: ["TYPE_MISMATCH_ERR", 17],
  SecurityError: ["SECURITY_ERR", 18],
  NetworkError: ["NETWORK_ERR", 19],
  AbortError: ["ABORT_ERR", 20],
  URLMismatchError: ["URL_MISMATCH_ERR", 21],
  QuotaExceededError: ["QUOTA_EXCEEDED_ERR", 22],
  TimeoutError: ["TIMEOUT_ERR", 23],
  InvalidNodeTypeError: ["INVALID_NODE_TYPE_ERR", 24],
  DataCloneError: ["DATA_CLONE_ERR", 25],
};

const NAMES = new WeakMap<object, string>();

function nameOf(exception: object): string {
  const name = NAMES.get(exception);
  return name ?? "Error";
}

export class DOMException extends Error {
  constructor(message: unknown = "", options: unknown = "Error") {
    super(String(message));
    let name = "Error";
    if (typeof options === "object" && options !== null) {
      const init = options as { name?: unknown; cause?: unknown };
      if ("cause" in init) {
        Object.defineProperty(this, "cause", {
          value: init.cause,
          writable: true,
          configurable: true,
          enumerable: false,
        });
      }
      if (init.name !== undefined) name = String(init.name);
    } else if (options !== undefined) {
      name = String(options);
    }
    NAMES.set(this, name);
    // The stack's first line was written before the name was known.
    Error.captureStackTrace?.(this, DOMException);
  }
}

// Accessors on the prototype (not own properties), as in browsers and Node.
Object.defineProperties(DOMException.prototype, {
  name: {
    get(this: DOMException) {
      return nameOf(this);
    },
    configurable: true,
    enumerable: true,
  },
  code: {
    get(this: DOMException) {
      return LEGACY_CODES[nameOf(this)]?.[1] ?? 0;
    },
    configurable: true,
    enumerable: true,
  },
  [Symbol.toStringTag]: { value: "DOMException", configurable: true },
});

for (const [constant, code] of Object.values(LEGACY_CODES)) {
  const descriptor = { value: code, enumerable: true, writable: false, configurable: false };
  Object.defineProperty(DOMException, constant, descriptor);
  Object.defineProperty(DOMException.prototype, constant, descriptor);
}
