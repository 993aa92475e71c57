/**
 * IAM authentication for ElastiCache and MemoryDB (`credentials: { username, iamConfig }`):
 * the password is a SigV4-presigned `connect` URL, as GLIDE makes it (`glide-core/src/iam`),
 * signed with the AWS credentials of the environment, valid 15 minutes and remade every
 * `refreshIntervalSeconds` (default 300); each new token re-authenticates the client's
 * connections (`updateConnectionPassword(token, true)`).
 * @module
 */

import { hex, hmacSha256, sha256 } from "./digest.ts";
import { ConfigurationError } from "./errors.ts";
import { Logger } from "./logger.ts";
import type { Command } from "./command.ts";
import type { Reply } from "./mode.ts";
import { updatePassword } from "./commands/credentials.ts";

/**
 * The AWS service an IAM-authenticated client connects to (GLIDE's `ServiceType`).
 *
 * @example
 * ```ts
 * import { ServiceType } from "@glide-deno/glide";
 * const service = ServiceType.Elasticache;
 * ```
 */
export enum ServiceType {
  /** Amazon ElastiCache. */
  Elasticache = "Elasticache",
  /** Amazon MemoryDB. */
  MemoryDB = "MemoryDB",
}

/**
 * IAM authentication settings (GLIDE's `IamAuthConfig`), given as `credentials.iamConfig` with
 * a `username`.
 *
 * @example
 * ```ts
 * import { type IamAuthConfig, ServiceType } from "@glide-deno/glide";
 * const iamConfig: IamAuthConfig = {
 *   clusterName: "my-cluster",
 *   service: ServiceType.Elasticache,
 *   region: "us-east-1",
 * };
 * ```
 */
export interface IamAuthConfig {
  /** The ElastiCache / MemoryDB cluster's name (the host the token is signed for). */
  clusterName: string;
  /** ElastiCache or MemoryDB. */
  service: ServiceType;
  /** The cluster's AWS region. */
  region: string;
  /** How often a new token is made, in seconds (default 300, at most 43199). */
  refreshIntervalSeconds?: number;
}

/** AWS credentials, as the environment gives them. */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** A token is valid this long (GLIDE's `TOKEN_TTL_SECONDS`). */
const TOKEN_TTL_SECONDS = 900;
const DEFAULT_REFRESH_SECONDS = 300;
const MAX_REFRESH_SECONDS = 12 * 60 * 60;
const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

const SIGNING_NAME: Record<ServiceType, string> = {
  [ServiceType.Elasticache]: "elasticache",
  [ServiceType.MemoryDB]: "memorydb",
};

/** RFC 3986 encoding, as SigV4 wants it (every byte but the unreserved ones). */
function encode(s: string): string {
  return encodeURIComponent(s).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function hmac(key: string | Uint8Array, data: string): Uint8Array {
  return hmacSha256(key, data);
}

/** `YYYYMMDDTHHMMSSZ`. */
function amzDate(now: Date): string {
  return now.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

/**
 * The SigV4 presigned query of a GET of `https://<host><path>?<query>` (header `host` signed),
 * with the signature last: what `presign` gives, checked against AWS's published examples.
 * @internal
 */
export function presignQuery(opts: {
  host: string;
  path: string;
  query: [string, string][];
  region: string;
  service: string;
  credentials: AwsCredentials;
  now: Date;
  expires: number;
  payloadHash?: string;
}): string {
  const stamp = amzDate(opts.now);
  const day = stamp.slice(0, 8);
  const scope = `${day}/${opts.region}/${opts.service}/aws4_request`;
  const params: [string, string][] = [
    ...opts.query,
    ["X-Amz-Algorithm", "AWS4-HMAC-SHA256"],
    ["X-Amz-Credential", `${opts.credentials.accessKeyId}/${scope}`],
    ["X-Amz-Date", stamp],
    ["X-Amz-Expires", String(opts.expires)],
    ["X-Amz-SignedHeaders", "host"],
  ];
  if (opts.credentials.sessionToken) {
    params.push(["X-Amz-Security-Token", opts.credentials.sessionToken]);
  }
  const encoded = params.map(([k, v]) => [encode(k), encode(v)]);
  const canonicalQuery = [...encoded]
    .sort(([a, x], [b, y]) => a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0)
    .map(([k, v]) => `${k}=${v}`)
    .join("&");
  const canonicalRequest = [
    "GET",
    opts.path,
    canonicalQuery,
    `host:${opts.host}\n`,
    "host",
    opts.payloadHash ?? EMPTY_SHA256,
  ].join("\n");
  const toSign = [
    "AWS4-HMAC-SHA256",
    stamp,
    scope,
    hex(sha256(canonicalRequest)),
  ].join("\n");
  let key = hmac(`AWS4${opts.credentials.secretAccessKey}`, day);
  for (const part of [opts.region, opts.service, "aws4_request"]) key = hmac(key, part);
  const signature = hex(hmacSha256(key, toSign));
  return [...encoded.map(([k, v]) => `${k}=${v}`), `X-Amz-Signature=${signature}`].join("&");
}

/**
 * The token an IAM-authenticated client sends as its password: the cluster name, then the
 * presigned `Action=connect&User=<username>` query (GLIDE's format).
 * @internal
 */
export function iamToken(
  config: IamAuthConfig,
  username: string,
  credentials: AwsCredentials,
  now: Date,
): string {
  const query = presignQuery({
    host: config.clusterName,
    path: "/",
    query: [["Action", "connect"], ["User", username]],
    region: config.region,
    service: SIGNING_NAME[config.service],
    credentials,
    now,
    expires: TOKEN_TTL_SECONDS,
  });
  return `${config.clusterName}/?${query}`;
}

function env(name: string): string | undefined {
  try {
    return Deno.env.get(name) || undefined;
  } catch {
    throw new ConfigurationError(
      `IAM authentication reads AWS credentials from the environment: allow reading ${name} (--allow-env)`,
    );
  }
}

/** The `[profile]` section of an AWS shared credentials file. */
function fromCredentialsFile(): AwsCredentials | undefined {
  const home = env("HOME") ?? env("USERPROFILE");
  const file = env("AWS_SHARED_CREDENTIALS_FILE") ?? (home && `${home}/.aws/credentials`);
  if (!file) return undefined;
  let text;
  try {
    text = Deno.readTextFileSync(file);
  } catch {
    return undefined;
  }
  const profile = env("AWS_PROFILE") ?? "default";
  let section = "";
  const found: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) continue;
    const head = /^\[(.+)\]$/.exec(line);
    if (head) {
      section = head[1].trim();
      continue;
    }
    const eq = line.indexOf("=");
    if (section === profile && eq > 0) {
      found[line.slice(0, eq).trim().toLowerCase()] = line.slice(eq + 1).trim();
    }
  }
  if (!found.aws_access_key_id || !found.aws_secret_access_key) return undefined;
  return {
    accessKeyId: found.aws_access_key_id,
    secretAccessKey: found.aws_secret_access_key,
    sessionToken: found.aws_session_token || undefined,
  };
}

/**
 * The AWS credentials of the environment: `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` /
 * `AWS_SESSION_TOKEN`, else the shared credentials file's profile (`AWS_PROFILE`, default
 * `default`; `AWS_SHARED_CREDENTIALS_FILE`, default `~/.aws/credentials`).
 * @internal
 */
export function awsCredentials(): AwsCredentials {
  const accessKeyId = env("AWS_ACCESS_KEY_ID");
  const secretAccessKey = env("AWS_SECRET_ACCESS_KEY");
  if (accessKeyId && secretAccessKey) {
    return { accessKeyId, secretAccessKey, sessionToken: env("AWS_SESSION_TOKEN") };
  }
  const file = fromCredentialsFile();
  if (file) return file;
  throw new ConfigurationError(
    "IAM authentication needs AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY " +
      "(and AWS_SESSION_TOKEN for temporary ones), or a profile in ~/.aws/credentials",
  );
}

/** The clock tokens are signed with (tests fix it). @internal */
export const iamClock: { now: () => Date } = { now: () => new Date() };

/** Validates `iamConfig` (with its `username`); throws `ConfigurationError`. @internal */
export function checkIamConfig(config: unknown, username: unknown): IamAuthConfig {
  const fail = (m: string): never => {
    throw new ConfigurationError(`credentials.iamConfig: ${m}`);
  };
  if (typeof username !== "string" || username === "") {
    fail("a username is required (AUTH <username> <token>)");
  }
  if (typeof config !== "object" || config === null) fail("must be an object");
  const c = config as IamAuthConfig;
  for (const field of ["clusterName", "region"] as const) {
    if (typeof c[field] !== "string" || c[field] === "") {
      fail(`${field} must be a non-empty string`);
    }
  }
  if (!Object.values(ServiceType).includes(c.service)) {
    fail(`service must be ServiceType.Elasticache or ServiceType.MemoryDB`);
  }
  const every = c.refreshIntervalSeconds;
  if (
    every !== undefined && (!Number.isInteger(every) || every < 1 || every >= MAX_REFRESH_SECONDS)
  ) {
    fail(`refreshIntervalSeconds must be an integer from 1 to ${MAX_REFRESH_SECONDS - 1}`);
  }
  return {
    clusterName: c.clusterName,
    service: c.service,
    region: c.region,
    refreshIntervalSeconds: every,
  };
}

/** One client's IAM authentication: makes its tokens and says when the next one is due. */
export class IamAuth {
  /** When (ms since the epoch) the next token is due. */
  due: number;
  #failures = 0;
  #timer: number | undefined;
  #stopped = false;
  #refresh: (() => Promise<unknown> | unknown) | undefined;

  constructor(readonly config: IamAuthConfig, readonly username: string) {
    this.due = Date.now() + this.everyMs;
  }

  /** The refresh interval in milliseconds. */
  get everyMs(): number {
    return (this.config.refreshIntervalSeconds ?? DEFAULT_REFRESH_SECONDS) * 1000;
  }

  /** A new token, from the environment's credentials now; the next is due an interval later. */
  token(): string {
    const token = iamToken(this.config, this.username, awsCredentials(), iamClock.now());
    this.due = Date.now() + this.everyMs;
    return token;
  }

  /**
   * Re-authenticates every interval with `refresh` (a timer that does not keep the process
   * alive); a failure is logged, and tried again sooner.
   */
  start(refresh: () => Promise<unknown> | unknown): void {
    this.#refresh = refresh;
    this.#schedule();
  }

  /**
   * Refreshes now (the timer's tick, or a sync client's call that found the token due: a sync
   * `refresh` has run when this returns).
   */
  async tick(): Promise<void> {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.due = Date.now() + this.everyMs; // not due again while this one runs
    try {
      await this.#refresh?.();
      this.#failures = 0;
    } catch (e) {
      this.#failures++;
      this.due = Date.now() + Math.min(this.everyMs, 1000 * 2 ** this.#failures);
      try {
        Logger.log(
          "warn",
          "iam",
          `IAM token refresh failed: ${e instanceof Error ? e.message : e}`,
        );
      } catch {
        // never let logging stop the refreshes
      }
    }
    this.#schedule();
  }

  #schedule(): void {
    if (this.#timer !== undefined || this.#stopped || this.#refresh === undefined) return;
    // Deno's timers are numbers (node:crypto's types make `setTimeout` look like Node's).
    const id = setTimeout(
      () => this.tick(),
      Math.max(0, this.due - Date.now()),
    ) as unknown as number;
    Deno.unrefTimer(id);
    this.#timer = id;
  }

  /** Stops the refreshes. */
  stop(): void {
    this.#stopped = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}

/**
 * `refreshIamToken` of `GlideClient` and `GlideClusterClient` (async and sync).
 *
 * @example
 * ```ts
 * import type { IamMethods } from "@glide-deno/glide";
 * type Refresh = ReturnType<IamMethods<"async">["refreshIamToken"]>; // Promise<"OK">
 * ```
 */
export interface IamMethods<M extends "async" | "sync"> {
  /**
   * Makes a new IAM token now and re-authenticates the client's connections with it (they
   * are also refreshed every `refreshIntervalSeconds`). Only for a client whose credentials
   * have an `iamConfig`; otherwise a `ConfigurationError`.
   *
   * @returns "OK".
   * @example
   * ```ts
   * await client.refreshIamToken();
   * ```
   */
  refreshIamToken(): Reply<M, "OK">;
}

/** Gives a client class's prototype the {@link IamMethods}. @internal */
export function addIamMethods(proto: object): void {
  Object.defineProperty(proto, "refreshIamToken", {
    value(this: { engine: { settings: { iam?: IamAuth } }; run: unknown }) {
      const iam = this.engine.settings.iam;
      const run = this.run as (build: () => Command<"OK">) => unknown;
      return run.call(this, () => {
        if (iam === undefined) {
          throw new ConfigurationError("refreshIamToken needs credentials with an iamConfig");
        }
        return updatePassword(iam.token(), true);
      });
    },
    writable: true,
    configurable: true,
  });
}
