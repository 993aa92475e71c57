/**
 * Public option and reply types of the geo commands.
 * @module
 */

export {};
