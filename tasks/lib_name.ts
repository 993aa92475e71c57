/**
 * File names of the built core: the per-OS/arch name under `native/dist/` (defined once, in
 * `shared/native.ts`, which loads it) and the name cargo gives the cdylib.
 */

export { libraryFileName } from "../shared/loader.ts";

/** The file name cargo gives the cdylib on an OS. */
export function cargoLibraryFileName(os: string = Deno.build.os): string {
  switch (os) {
    case "windows":
      return "glide_deno.dll";
    case "darwin":
      return "libglide_deno.dylib";
    default:
      return "libglide_deno.so";
  }
}
