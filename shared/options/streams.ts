/**
 * Public option and reply types of the streams commands.
 * @module
 */

export {};
