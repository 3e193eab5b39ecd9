/**
 * Resource Timing entries, as Node records them for fetch: undici's fetch (bundled by agents
 * that bring their own undici) calls `performance.markResourceTiming(...)` once a response body
 * has been read, with the fetch spec's timing info. The entry reads its figures from that info,
 * the way Node's PerformanceResourceTiming does.
 */
import { PerformanceEntry } from "./performance-entry.ts";

interface ConnectionTimingInfo {
  domainLookupStartTime?: number;
  domainLookupEndTime?: number;
  connectionStartTime?: number;
  connectionEndTime?: number;
  secureConnectionStartTime?: number;
  ALPNNegotiatedProtocol?: string;
}

/** The fetch spec's timing info (only the fields read here). */
export interface FetchTimingInfo {
  startTime: number;
  endTime: number;
  finalServiceWorkerStartTime?: number;
  redirectStartTime?: number;
  redirectEndTime?: number;
  postRedirectStartTime?: number;
  finalConnectionTimingInfo?: ConnectionTimingInfo | null;
  finalNetworkRequestStartTime?: number;
  finalNetworkResponseStartTime?: number;
  encodedBodySize?: number;
  decodedBodySize?: number;
}

export class PerformanceResourceTiming extends PerformanceEntry {
  readonly #timing: FetchTimingInfo;
  readonly #initiatorType: string;
  readonly #cacheMode: string;
  readonly #deliveryType: string;
  readonly #responseStatus: number;

  constructor(
    requestedUrl: string,
    initiatorType: string,
    timing: FetchTimingInfo,
    cacheMode: string,
    responseStatus: number,
    deliveryType: string,
  ) {
    super(requestedUrl, "resource", timing.startTime, timing.endTime - timing.startTime);
    this.#timing = timing;
    this.#initiatorType = initiatorType;
    this.#cacheMode = cacheMode;
    this.#responseStatus = responseStatus;
    this.#deliveryType = deliveryType;
  }

  get initiatorType(): string {
    return this.#initiatorType;
  }
  get workerStart(): number | undefined {
    return this.#timing.finalServiceWorkerStartTime;
  }
  get redirectStart(): number | undefined {
    return this.#timing.redirectStartTime;
  }
  get redirectEnd(): number | undefined {
    return this.#timing.redirectEndTime;
  }
  get fetchStart(): number | undefined {
    return this.#timing.postRedirectStartTime;
  }
  get domainLookupStart(): number | undefined {
    return this.#timing.finalConnectionTimingInfo?.domainLookupStartTime;
  }
  get domainLookupEnd(): number | undefined {
    return this.#timing.finalConnectionTimingInfo?.domainLookupEndTime;
  }
  get connectStart(): number | undefined {
    return this.#timing.finalConnectionTimingInfo?.connectionStartTime;
  }
  get connectEnd(): number | undefined {
    return this.#timing.finalConnectionTimingInfo?.connectionEndTime;
  }
  get secureConnectionStart(): number | undefined {
    return this.#timing.finalConnectionTimingInfo?.secureConnectionStartTime;
  }
  get nextHopProtocol(): string | undefined {
    return this.#timing.finalConnectionTimingInfo?.ALPNNegotiatedProtocol;
  }
  get requestStart(): number | undefined {
    return this.#timing.finalNetworkRequestStartTime;
  }
  get responseStart(): number | undefined {
    return this.#timing.finalNetworkResponseStartTime;
  }
  get responseEnd(): number {
    return this.#timing.endTime;
  }
  get encodedBodySize(): number | undefined {
    return this.#timing.encodedBodySize;
  }
  get decodedBodySize(): number | undefined {
    return this.#timing.decodedBodySize;
  }
  /** Node's figure: the body plus 300 bytes of headers, 0 from a local cache. */
  get transferSize(): number {
    if (this.#cacheMode === "local") return 0;
    if (this.#cacheMode === "validated") return 300;
    return (this.#timing.encodedBodySize ?? 0) + 300;
  }
  get deliveryType(): string {
    return this.#deliveryType;
  }
  get responseStatus(): number {
    return this.#responseStatus;
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      initiatorType: this.initiatorType,
      nextHopProtocol: this.nextHopProtocol,
      workerStart: this.workerStart,
      redirectStart: this.redirectStart,
      redirectEnd: this.redirectEnd,
      fetchStart: this.fetchStart,
      domainLookupStart: this.domainLookupStart,
      domainLookupEnd: this.domainLookupEnd,
      connectStart: this.connectStart,
      connectEnd: this.connectEnd,
      secureConnectionStart: this.secureConnectionStart,
      requestStart: this.requestStart,
      responseStart: this.responseStart,
      responseEnd: this.responseEnd,
      transferSize: this.transferSize,
      encodedBodySize: this.encodedBodySize,
      decodedBodySize: this.decodedBodySize,
      deliveryType: this.deliveryType,
      responseStatus: this.responseStatus,
    };
  }

  get [Symbol.toStringTag](): string {
    return "PerformanceResourceTiming";
  }
}
