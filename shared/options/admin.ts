/**
 * Public option and reply types of the administration commands beyond GLIDE's set (CLUSTER,
 * ACL, COMMAND, SLOWLOG, ROLE, CLIENT LIST/INFO/KILL).
 * @module
 */

export {};
