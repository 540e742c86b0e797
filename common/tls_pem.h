/*
 * tls_pem.h: reading certificates, keys, CA and CRL files (PEM) into the
 * DER the plan stores. cfgc uses it at compile time; cfgrun only for
 * files a --hermetic plan left out.
 */
#ifndef HAPC_TLS_PEM_H
#define HAPC_TLS_PEM_H

#include <stddef.h>
#include <stdint.h>

/* A certificate with its chain and key, as DER. */
struct tls_pem {
	uint8_t *der;               /* malloc'd: chain, DER back to back,
	                               leaf first */
	size_t der_len;             /* bytes */
	uint8_t *key;               /* malloc'd: private key, DER */
	size_t key_len;             /* bytes */
	uint32_t ncerts;            /* certificates in der, >= 1 */
	int ecdsa;                  /* 1: EC key, 0: RSA */
	int64_t not_after;          /* the leaf's expiry, Unix seconds */
	char key_path[4096];        /* where the key was found */
};

/*
 * Load the PEM file `path`: its certificates (the first is the leaf, the
 * others its chain in file order) and its private key, taken from the
 * same file or else from `path`.key as HAProxy does. Refuses a file
 * without certificate, without key, with a key that is not the leaf's,
 * or with a key that is neither RSA nor EC. Returns 0 (release with
 * tls_pem_free()), or -1 with the reason in `why`.
 */
int tls_pem_load(const char *path, struct tls_pem *out, char *why,
                 size_t why_len);

/* The same with the key read from `key_path` instead (a crt-store's
 * `key`): a key in `path` is then ignored. key_path NULL: tls_pem_load(). */
int tls_pem_load_key(const char *path, const char *key_path,
                     struct tls_pem *out, char *why, size_t why_len);

/* Wipe and free what tls_pem_load() gave. */
void tls_pem_free(struct tls_pem *p);

/*
 * Every CERTIFICATE block (crl 0) or X509 CRL block (crl 1) of `path` as
 * DER back to back into *der (malloc'd), *len bytes, *count items. 0, or
 * -1 with the reason (none found, unreadable, malformed).
 */
int tls_pem_load_list(const char *path, int crl, uint8_t **der, size_t *len,
                      uint32_t *count, char *why, size_t why_len);

#endif /* HAPC_TLS_PEM_H */
