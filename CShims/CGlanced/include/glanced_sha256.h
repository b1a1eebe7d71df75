#ifndef GLANCED_SHA256_H
#define GLANCED_SHA256_H

#include <stddef.h>
#include <stdint.h>

/* SHA-256 (FIPS 180-4) and PBKDF2-HMAC-SHA256 (RFC 8018 section 5.2, RFC 2104) for Glances' password
   schemes. The 100,000 HMAC rounds of a Glances 4 password check are a hot loop: this file is compiled
   optimised in every build mode (Package.swift), so a debug build checks a password in milliseconds too. */

/// The 32-byte digest of `length` bytes at `message` into `digest`.
void glanced_sha256(const uint8_t *message, size_t length, uint8_t digest[32]);

/// `pbkdf2_hmac('sha256', password, salt, rounds, key_length)` into `key` (`key_length` bytes).
/// `rounds` and `key_length` must be at least 1.
void glanced_pbkdf2_hmac_sha256(const uint8_t *password, size_t password_length, const uint8_t *salt,
                                size_t salt_length, uint32_t rounds, uint8_t *key, size_t key_length);

#endif
