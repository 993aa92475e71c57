/**
 * Public option and reply types of the scripting commands.
 * @module
 */

export {};
