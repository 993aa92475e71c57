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
