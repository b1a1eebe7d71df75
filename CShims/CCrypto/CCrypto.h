/* OpenSSL's libcrypto, for PBKDF2-HMAC-SHA256: the 100,000 rounds of a Glances 4 password check run in its
   optimised code whatever the build mode (a debug build of a Swift loop takes seconds). */
#include <openssl/evp.h>
