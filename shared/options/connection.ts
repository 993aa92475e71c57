/**
 * Public option and reply types of the connection commands.
 * @module
 */

export {};
