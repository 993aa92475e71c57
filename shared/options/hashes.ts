/**
 * Public option and reply types of the hashes commands.
 * @module
 */

export {};
