/** node:string_decoder: the string_decoder package (Node's own implementation, packaged). */
import { StringDecoder } from "string_decoder";

export function createStringDecoder(): unknown {
  return { StringDecoder };
}
