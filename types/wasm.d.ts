/** `.wasm` files are bundled as their bytes (esbuild `binary` loader; vitest.config.mts does the same). */
declare module '*.wasm' {
  const bytes: Uint8Array;
  export default bytes;
}
