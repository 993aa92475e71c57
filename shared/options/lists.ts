/**
 * Public option and reply types of the lists commands.
 * @module
 */

export {};
