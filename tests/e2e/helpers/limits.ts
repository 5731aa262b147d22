/** The e2e server's TERRAIN_IMPORT_MAX_MB: small, so that a test can send a file over it. */
export const E2E_IMPORT_MAX_MB = 16;
