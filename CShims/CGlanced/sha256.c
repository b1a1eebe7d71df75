#include "glanced_sha256.h"

#include <string.h>

/* The state of a digest in progress: chaining value, a partial block, and the bytes taken so far. */
struct sha256 {
    uint32_t state[8];
    uint8_t block[64];
    size_t filled;
    uint64_t total;
};

static const uint32_t round_constants[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static inline uint32_t rotate_right(uint32_t value, unsigned count) {
    return (value >> count) | (value << (32 - count));
}

/* One 64-byte block into the chaining value. */
static void compress(uint32_t state[8], const uint8_t block[64]) {
    uint32_t w[64];
    for (int i = 0; i < 16; i++) {
        w[i] = (uint32_t)block[4 * i] << 24 | (uint32_t)block[4 * i + 1] << 16 | (uint32_t)block[4 * i + 2] << 8 |
               (uint32_t)block[4 * i + 3];
    }
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = rotate_right(w[i - 15], 7) ^ rotate_right(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = rotate_right(w[i - 2], 17) ^ rotate_right(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
    uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
    for (int i = 0; i < 64; i++) {
        uint32_t t1 = h + (rotate_right(e, 6) ^ rotate_right(e, 11) ^ rotate_right(e, 25)) + ((e & f) ^ (~e & g)) +
                      round_constants[i] + w[i];
        uint32_t t2 = (rotate_right(a, 2) ^ rotate_right(a, 13) ^ rotate_right(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
        h = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    state[0] += a;
    state[1] += b;
    state[2] += c;
    state[3] += d;
    state[4] += e;
    state[5] += f;
    state[6] += g;
    state[7] += h;
}

static void sha256_start(struct sha256 *digest) {
    static const uint32_t initial[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                        0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    memcpy(digest->state, initial, sizeof initial);
    digest->filled = 0;
    digest->total = 0;
}

static void sha256_add(struct sha256 *digest, const uint8_t *bytes, size_t length) {
    digest->total += length;
    while (length > 0) {
        size_t take = 64 - digest->filled;
        if (take > length) take = length;
        memcpy(digest->block + digest->filled, bytes, take);
        digest->filled += take;
        bytes += take;
        length -= take;
        if (digest->filled == 64) {
            compress(digest->state, digest->block);
            digest->filled = 0;
        }
    }
}

static void sha256_finish(struct sha256 *digest, uint8_t out[32]) {
    uint64_t bits = digest->total * 8;
    uint8_t pad = 0x80;
    sha256_add(digest, &pad, 1);
    pad = 0;
    while (digest->filled != 56) sha256_add(digest, &pad, 1);
    uint8_t length[8];
    for (int i = 0; i < 8; i++) length[i] = (uint8_t)(bits >> (56 - 8 * i));
    sha256_add(digest, length, 8);
    for (int i = 0; i < 8; i++) {
        out[4 * i] = (uint8_t)(digest->state[i] >> 24);
        out[4 * i + 1] = (uint8_t)(digest->state[i] >> 16);
        out[4 * i + 2] = (uint8_t)(digest->state[i] >> 8);
        out[4 * i + 3] = (uint8_t)digest->state[i];
    }
}

void glanced_sha256(const uint8_t *message, size_t length, uint8_t digest[32]) {
    struct sha256 state;
    sha256_start(&state);
    sha256_add(&state, message, length);
    sha256_finish(&state, digest);
}

/* HMAC-SHA256 with the key's inner and outer pads already absorbed: each PBKDF2 round starts from these two
   states instead of hashing the pads again (two compressions per round instead of four). */
struct hmac {
    struct sha256 inner;
    struct sha256 outer;
};

static void hmac_start(struct hmac *hmac, const uint8_t *key, size_t key_length) {
    uint8_t block[64] = {0};
    if (key_length > 64) {
        glanced_sha256(key, key_length, block);
    } else if (key_length > 0) {
        memcpy(block, key, key_length);
    }
    uint8_t pad[64];
    for (int i = 0; i < 64; i++) pad[i] = block[i] ^ 0x36;
    sha256_start(&hmac->inner);
    sha256_add(&hmac->inner, pad, 64);
    for (int i = 0; i < 64; i++) pad[i] = block[i] ^ 0x5c;
    sha256_start(&hmac->outer);
    sha256_add(&hmac->outer, pad, 64);
}

/* HMAC of `length` bytes at `message` (then of `more`, when given) under the prepared key. */
static void hmac_digest(const struct hmac *hmac, const uint8_t *message, size_t length, const uint8_t *more,
                        size_t more_length, uint8_t out[32]) {
    struct sha256 digest = hmac->inner;
    sha256_add(&digest, message, length);
    if (more_length > 0) sha256_add(&digest, more, more_length);
    uint8_t inner[32];
    sha256_finish(&digest, inner);
    digest = hmac->outer;
    sha256_add(&digest, inner, 32);
    sha256_finish(&digest, out);
}

void glanced_pbkdf2_hmac_sha256(const uint8_t *password, size_t password_length, const uint8_t *salt,
                                size_t salt_length, uint32_t rounds, uint8_t *key, size_t key_length) {
    struct hmac hmac;
    hmac_start(&hmac, password, password_length);
    for (uint32_t block_index = 1; key_length > 0; block_index++) {
        uint8_t index[4] = {(uint8_t)(block_index >> 24), (uint8_t)(block_index >> 16), (uint8_t)(block_index >> 8),
                            (uint8_t)block_index};
        uint8_t u[32], t[32];
        hmac_digest(&hmac, salt_length > 0 ? salt : index, salt_length > 0 ? salt_length : 4,
                    salt_length > 0 ? index : NULL, salt_length > 0 ? 4 : 0, u);
        memcpy(t, u, 32);
        for (uint32_t round = 1; round < rounds; round++) {
            hmac_digest(&hmac, u, 32, NULL, 0, u);
            for (int i = 0; i < 32; i++) t[i] ^= u[i];
        }
        size_t take = key_length < 32 ? key_length : 32;
        memcpy(key, t, take);
        key += take;
        key_length -= take;
    }
}
