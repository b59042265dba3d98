// libwebp's decoder compiled to WebAssembly (@jsquash/webp), carried inside the bundle: esbuild
// loads `.wasm` files as bytes (infra/bundling.ts, `loader`), and the tests do the same
// (vitest.config.mts). In Node, @jsquash/webp cannot fetch the file itself, so its init is given
// the compiled module explicitly (webp-png-converter.ts).
import bytes from '@jsquash/webp/codec/dec/webp_dec.wasm';

/** The decoder's WebAssembly bytes, imported only when the first sticker arrives. */
export const WEBP_DECODER_WASM: Uint8Array = bytes;
