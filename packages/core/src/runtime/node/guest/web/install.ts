/**
 * Puts the web platform globals Node has (and V8 lacks) on globalThis: DOMException,
 * CustomEvent, MessageEvent, MessageChannel/MessagePort, BroadcastChannel, Blob/File, navigator
 * and the WHATWG stream classes. Nothing here calls the host, so it can run in the snapshot.
 */
import { Event } from "../event-target.ts";
import { Blob, File } from "./blob.ts";
import { BroadcastChannel } from "./broadcast-channel.ts";
import { DOMException } from "./dom-exception.ts";
import { MessageEvent } from "./message-event.ts";
import { MessageChannel, MessagePort } from "./message-port.ts";
import { createNavigator, Navigator } from "./navigator.ts";
import { WEB_STREAM_CLASSES } from "./web-streams.ts";
import { WebSocket } from "./websocket.ts";
import { CloseEvent } from "./websocket-events.ts";

export class CustomEvent extends Event {
  readonly #detail: unknown;

  constructor(
    type: string,
    init: { detail?: unknown; bubbles?: boolean; cancelable?: boolean } = {},
  ) {
    super(type, init);
    this.#detail = init?.detail ?? null;
  }

  get detail(): unknown {
    return this.#detail;
  }
}

function define(name: string, value: unknown, enumerable = false): void {
  Object.defineProperty(globalThis, name, {
    value,
    writable: true,
    configurable: true,
    enumerable,
  });
}

export function installWebGlobals(): void {
  const { ReadableStream, WritableStream, TransformStream } = WEB_STREAM_CLASSES;
  const classes: Record<string, unknown> = {
    DOMException,
    CustomEvent,
    MessageEvent,
    MessageChannel,
    MessagePort,
    BroadcastChannel,
    Blob,
    File,
    Navigator,
    ReadableStream,
    WritableStream,
    TransformStream,
    ReadableStreamDefaultReader: WEB_STREAM_CLASSES.ReadableStreamDefaultReader,
    ReadableStreamBYOBReader: WEB_STREAM_CLASSES.ReadableStreamBYOBReader,
    ReadableStreamBYOBRequest: WEB_STREAM_CLASSES.ReadableStreamBYOBRequest,
    ReadableByteStreamController: WEB_STREAM_CLASSES.ReadableByteStreamController,
    ReadableStreamDefaultController: WEB_STREAM_CLASSES.ReadableStreamDefaultController,
    TransformStreamDefaultController: WEB_STREAM_CLASSES.TransformStreamDefaultController,
    WritableStreamDefaultWriter: WEB_STREAM_CLASSES.WritableStreamDefaultWriter,
    WritableStreamDefaultController: WEB_STREAM_CLASSES.WritableStreamDefaultController,
    ByteLengthQueuingStrategy: WEB_STREAM_CLASSES.ByteLengthQueuingStrategy,
    CountQueuingStrategy: WEB_STREAM_CLASSES.CountQueuingStrategy,
    TextEncoderStream: WEB_STREAM_CLASSES.TextEncoderStream,
    TextDecoderStream: WEB_STREAM_CLASSES.TextDecoderStream,
    WebSocket,
    CloseEvent,
  };
  for (const [name, value] of Object.entries(classes)) define(name, value);
  // Node defines `navigator` as a lazy getter on globalThis.
  const navigator = createNavigator();
  Object.defineProperty(globalThis, "navigator", {
    get: () => navigator,
    set: (value) => define("navigator", value, true),
    configurable: true,
    enumerable: true,
  });
}
