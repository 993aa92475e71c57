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
export { CircuitBreakerError } from "./circuit_breaker.ts";
export type { ClientCircuitBreakerConfiguration } from "./circuit_breaker.ts";
export { ClientSideCache, EvictionPolicy } from "./client_side_cache.ts";
export type { ClientCacheMethods } from "./cache_methods.ts";
export type { ClientSideCacheConfig, ClientSideCacheOptions } from "./client_side_cache.ts";
export { CompressionBackend } from "./compression.ts";
export type { ClientStatistics, ClientStatisticsMethods } from "./statistics.ts";
export { type IamAuthConfig, type IamMethods, ServiceType } from "./iam.ts";
export type { ClientMethods } from "./client_methods.ts";
export { type LevelOptions, Logger } from "./logger.ts";
export {
  type GlideOpenTelemetryConfig,
  type GlideSpanContext,
  OpenTelemetry,
  type OpenTelemetryMetricsConfig,
  type OpenTelemetryTracesConfig,
} from "./opentelemetry.ts";
export type { CompressionConfiguration } from "./compression.ts";
export { Decoder } from "./values.ts";
export type { DecoderOption, GlideRecord, GlideReturnType, GlideString } from "./values.ts";
export { NodeDiscoveryMode, ProtocolVersion } from "./config.ts";
export type {
  AddressResolver,
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
export type { ClusterResponse, RouteOption, Routes, SingleNodeRoute } from "./routes.ts";
export type { BatchSelf, Connection, Mode, ModeName, Reply } from "./mode.ts";
export { BaseCommands } from "./base_commands.ts";
export { CommandRunner } from "./api/runner.ts";
export { StringCommands } from "./api/strings.ts";
export { BitmapCommands } from "./api/bitmaps.ts";
export { HyperLogLogCommands } from "./api/hyperloglog.ts";
export { GenericKeyCommands } from "./api/generic.ts";
export { HashCommands } from "./api/hashes.ts";
export { ListCommands } from "./api/lists.ts";
export { SetCommands } from "./api/sets.ts";
export { SortedSetCommands } from "./api/sorted_sets.ts";
export { StreamCommands } from "./api/streams.ts";
export { GeoCommands } from "./api/geo.ts";
export { ScriptingCommands } from "./api/scripting.ts";
export { PubSubCommands } from "./api/pubsub.ts";
export { StandaloneKeyCommands } from "./api/standalone_keys.ts";
export { StandaloneScriptingCommands } from "./api/standalone_scripting.ts";
export { StandaloneAdminCommands } from "./api/standalone_admin.ts";
export { ClusterKeyCommands } from "./api/cluster_keys.ts";
export { ClusterScriptingCommands } from "./api/cluster_scripting.ts";
export { ClusterAdminCommands } from "./api/cluster_admin.ts";
export { StandaloneCommands } from "./standalone_commands.ts";
export { ClusterCommands } from "./cluster_commands.ts";
export { StandaloneClientCommands } from "./standalone_client.ts";
export { ClusterClientCommands } from "./cluster_client.ts";
export { Batch, ClusterBatch } from "./batch.ts";
export {
  ALL_CHANNELS,
  ALL_PATTERNS,
  ALL_SHARDED_CHANNELS,
  ClusterPubSubChannelModes,
  PubSubChannelModes,
} from "./pubsub.ts";
export type { MessageSource, PubSubMsg, PubSubState, PubSubSubscriptions } from "./pubsub.ts";
export type { MessageIterator } from "./subscriber.ts";
export type { BatchOptions, BatchRetryStrategy, ClusterBatchOptions } from "./batch.ts";
export type { BatchBody, Command } from "./command.ts";
export { ClusterScanCursor, type ClusterScanOptions, ObjectType } from "./commands/cluster_scan.ts";
export type { Steps } from "./mode.ts";
export { deferred } from "./mode.ts";
// Option and reply types, one module per command family.
export * from "./options/strings.ts";
export * from "./options/bitmaps.ts";
export * from "./options/hyperloglog.ts";
export * from "./options/generic.ts";
export * from "./options/hashes.ts";
export * from "./options/lists.ts";
export * from "./options/sets.ts";
export * from "./options/sorted_sets.ts";
export * from "./options/streams.ts";
export * from "./options/geo.ts";
export * from "./options/scripting.ts";
export { Script } from "./commands/scripting.ts";
export * from "./options/pubsub.ts";
export * from "./options/server.ts";
export * from "./options/connection.ts";
export * from "./options/admin.ts";
// The server modules' APIs (JSON, Search), which take the client as their first argument.
export * from "./server_modules/json.ts";
export * from "./server_modules/ft.ts";
export * from "./server_modules/ft_options.ts";
