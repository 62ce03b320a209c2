#ifndef CLAIMLEDGER_COPENSSL_SHIM_H
#define CLAIMLEDGER_COPENSSL_SHIM_H
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/err.h>
#include <openssl/crypto.h>
#include <openssl/bio.h>
#include <openssl/x509.h>
#include <openssl/pkcs12.h>
#include <openssl/rand.h>

/* Function-like macros are not importable into Swift; these wrappers expose them unchanged. */

/* OPENSSL_free(addr): frees memory OpenSSL allocated (e.g. PEM_read_bio's name, header, data). */
static inline void claimledger_openssl_free(void *addr) {
    OPENSSL_free(addr);
}

/* OPENSSL_clear_free(addr, num): zeroes num bytes, then frees; for buffers that held key material. */
static inline void claimledger_openssl_clear_free(void *addr, size_t num) {
    OPENSSL_clear_free(addr, num);
}

/* BIO_get_mem_data(b, pp): points *pp at a memory BIO's unread bytes and returns their count. */
static inline long claimledger_bio_get_mem_data(BIO *bio, char **data) {
    return BIO_get_mem_data(bio, data);
}

#endif
