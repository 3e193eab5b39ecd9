/**
 * The WHATWG stream classes (web-streams-polyfill, the reference implementation) plus the text
 * streams: what node:stream/web exports and what goes on globalThis.
 */
import * as polyfill from "web-streams-polyfill";
import { TextDecoderStream, TextEncoderStream } from "./text-streams.ts";
import { installWebStreamNodeInterop } from "./web-stream-node-interop.ts";

installWebStreamNodeInterop(polyfill);

export const WEB_STREAM_CLASSES: Record<string, unknown> = {
  ReadableStream: polyfill.ReadableStream,
  ReadableStreamDefaultReader: polyfill.ReadableStreamDefaultReader,
  ReadableStreamBYOBReader: polyfill.ReadableStreamBYOBReader,
  ReadableStreamBYOBRequest: polyfill.ReadableStreamBYOBRequest,
  ReadableByteStreamController: polyfill.ReadableByteStreamController,
  ReadableStreamDefaultController: polyfill.ReadableStreamDefaultController,
  TransformStream: polyfill.TransformStream,
  TransformStreamDefaultController: polyfill.TransformStreamDefaultController,
  WritableStream: polyfill.WritableStream,
  WritableStreamDefaultWriter: polyfill.WritableStreamDefaultWriter,
  WritableStreamDefaultController: polyfill.WritableStreamDefaultController,
  ByteLengthQueuingStrategy: polyfill.ByteLengthQueuingStrategy,
  CountQueuingStrategy: polyfill.CountQueuingStrategy,
  TextEncoderStream,
  TextDecoderStream,
};
