/** Small helpers shared by the task scripts. */

import { fileURLToPath } from "node:url";

/** Absolute path of the repository root. */
export const ROOT: string = fileURLToPath(new URL("..", import.meta.url)).replace(/\/$/, "");

/** Whether a path exists. */
export async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Options of {@link run}. */
export interface RunOptions {
  /** Working directory; defaults to the repository root. */
  cwd?: string;
  /** Extra environment variables. */
  env?: Record<string, string>;
  /** Capture the output and print it only if the command fails. */
  quiet?: boolean;
}

/**
 * Runs a command with inherited stdout/stderr (or captured, with `quiet`) and resolves to its exit
 * code (127 if it cannot be started).
 */
export async function run(cmd: string, args: string[], opts: RunOptions = {}): Promise<number> {
  const output = opts.quiet ? "piped" : "inherit";
  try {
    const child = new Deno.Command(cmd, {
      args,
      cwd: opts.cwd ?? ROOT,
      env: opts.env,
      stdin: "null",
      stdout: output,
      stderr: output,
    }).spawn();
    if (!opts.quiet) return (await child.status).code;
    const { code, stdout, stderr } = await child.output();
    if (code !== 0) {
      await Deno.stdout.write(stdout);
      await Deno.stderr.write(stderr);
    }
    return code;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      console.error(`${cmd}: not found`);
      return 127;
    }
    throw e;
  }
}

/** Like {@link run}, but throws when the command fails. */
export async function runOrThrow(
  cmd: string,
  args: string[],
  opts: RunOptions = {},
): Promise<void> {
  const code = await run(cmd, args, opts);
  if (code !== 0) throw new Error(`${cmd} ${args.join(" ")} exited with ${code}`);
}

/** Whether a program is on the PATH. */
export async function onPath(cmd: string): Promise<boolean> {
  for (const dir of (Deno.env.get("PATH") ?? "").split(":")) {
    if (dir && await exists(`${dir}/${cmd}`)) return true;
  }
  return false;
}

/** The message of an unknown thrown value. */
export function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * A cache directory of this project's tasks: `$<envVar>` when set, else
 * `$XDG_CACHE_HOME/glide-deno/<name>` (`~/.cache/glide-deno/<name>`).
 */
export function cacheDir(envVar: string, name: string): string {
  const own = Deno.env.get(envVar);
  if (own) return own;
  const base = Deno.env.get("XDG_CACHE_HOME") ?? `${Deno.env.get("HOME") ?? "/tmp"}/.cache`;
  return `${base}/glide-deno/${name}`;
}

/** Fetches `url` and checks its SHA-256 (hex) before returning its bytes. */
export async function fetchVerified(url: string, sha256: string): Promise<Uint8Array> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: ${res.status}`);
  const bytes = new Uint8Array(await res.arrayBuffer());
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  const hex = Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
  if (hex !== sha256) throw new Error(`${url}: sha256 ${hex}, expected ${sha256}`);
  return bytes;
}
