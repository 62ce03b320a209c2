#ifndef CLAIMLEDGER_COPENSSL_SHIM_H
#define CLAIMLEDGER_COPENSSL_SHIM_H
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/err.h>
#include <openssl/crypto.h>
#include <openssl/bio.h>
#endif
