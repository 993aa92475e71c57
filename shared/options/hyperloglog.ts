/**
 * Public option and reply types of the hyperloglog commands.
 * @module
 */

export {};
