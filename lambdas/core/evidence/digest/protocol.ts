import type { WasmMemory } from '../../investigation/secrets/anchor-simd';
import type { ScanOptions, ScanResult } from '../../investigation/secrets/secret-scan';
import type { BlockChecks } from './check-blocks';

/**
 * Messages between the export worker's event loop and its digest threads. Part buffers are
 * SharedArrayBuffers registered once, so a task names a byte range of shared memory and moves no data.
 * A buffer that is a shared WebAssembly.Memory comes with it (`memory`), so the scan reads it in place.
 */
export type DigestRequest =
  | {
      readonly kind: 'register';
      readonly buffer: number;
      readonly sab: SharedArrayBuffer;
      readonly memory?: WasmMemory;
    }
  | { readonly kind: 'release'; readonly buffer: number }
  | {
      readonly kind: 'sha256';
      readonly id: number;
      readonly buffer: number;
      readonly start: number;
      readonly end: number;
    }
  | {
      /** Block checks and secret scan of a filled part (check-blocks.ts). */
      readonly kind: 'blocks';
      readonly id: number;
      readonly buffer: number;
      /** Bytes of the part at the buffer's start. */
      readonly size: number;
      readonly starts: ReadonlyArray<number>;
      readonly blockSize: number;
      readonly scan?: ScanOptions;
    }
  | {
      readonly kind: 'scan-bytes';
      readonly id: number;
      readonly bytes: Uint8Array;
      readonly scan: ScanOptions;
    };

export type DigestReply =
  | { readonly id: number; readonly value: string | ScanResult | BlockChecks }
  | { readonly id: number; readonly error: string };
