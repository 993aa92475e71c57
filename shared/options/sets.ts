/**
 * Public option and reply types of the sets commands.
 * @module
 */

export {};
