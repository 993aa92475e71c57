/**
 * The types and enums both client modules export.
 * @module
 */

export {
  ClosingError,
  ConfigurationError,
  ConnectionError,
  ExecAbortError,
  RequestError,
  TimeoutError,
  ValkeyError,
} from "./errors.ts";
export { Decoder } from "./values.ts";
export type { DecoderOption, GlideRecord, GlideReturnType, GlideString } from "./values.ts";
export { ProtocolVersion } from "./config.ts";
export type {
  AdvancedBaseClientConfiguration,
  AdvancedGlideClusterClientConfiguration,
  BaseClientConfiguration,
  ConnectionBackoffStrategy,
  GlideClientConfiguration,
  GlideClusterClientConfiguration,
  NodeAddress,
  PeriodicChecks,
  ReadFrom,
  ServerCredentials,
  TlsAdvancedConfiguration,
} from "./config.ts";
export { type SetOptions, TimeUnit } from "./commands/strings.ts";
export { ExpireOptions } from "./commands/generic.ts";
export { FlushMode, InfoOptions } from "./commands/server.ts";
export type { Routes, SingleNodeRoute } from "./routes.ts";
export type { Connection, Mode, Reply } from "./mode.ts";
export type { ClusterResponse, RouteOption } from "./cluster_commands.ts";
export { BaseCommands } from "./base_commands.ts";
export { StandaloneCommands } from "./standalone_commands.ts";
export { ClusterCommands } from "./cluster_commands.ts";
export type { Command } from "./command.ts";
export { ClusterScanCursor, type ClusterScanOptions, ObjectType } from "./commands/cluster_scan.ts";
export type { Steps } from "./mode.ts";
