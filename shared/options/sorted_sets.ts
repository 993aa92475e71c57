/**
 * Public option and reply types of the sorted_sets commands.
 * @module
 */

export {};
