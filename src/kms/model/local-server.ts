/**
 * The response header by which hsm2kms's local KMS server says what it is (AWS never sends it): a KMS that keeps
 * imported key material, and its wrapping keys' private halves, in files on its host. The ceremony reads it to treat
 * such a server as local wherever it runs (a LAN address, a host name), not only on a loopback address.
 */
export const LOCAL_KMS_HEADER = 'x-hsm2kms-local-kms';
export const LOCAL_KMS_HEADER_VALUE = 'keeps imported key material in files on its host';
