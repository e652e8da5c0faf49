import { Readable } from 'node:stream';

/**
 * A response body as the SDK hands it out (a Node stream with the transformTo* helpers), for
 * aws-sdk-client-mock stand-ins of GetSnapshotBlock / GetObject.
 */
export function blob(data: Uint8Array) {
  const stream = Readable.from([Buffer.from(data)]);
  return Object.assign(stream, {
    transformToByteArray: async () => new Uint8Array(data),
    transformToString: async (encoding?: BufferEncoding) => Buffer.from(data).toString(encoding ?? 'utf8'),
    transformToWebStream: () =>
      Readable.toWeb(Readable.from([Buffer.from(data)])) as unknown as ReadableStream,
  });
}
