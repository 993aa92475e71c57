/**
 * Public option and reply types of the bitmaps commands.
 * @module
 */

export {};
