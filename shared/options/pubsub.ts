/**
 * Public option and reply types of the pubsub commands.
 * @module
 */

export {};
