#ifndef CGZIP_H
#define CGZIP_H

// gzip (RFC 1952) through zlib, for GlancedHTTP's `Gzip`.
//
// Why C: zlib's `deflateInit2` and `inflateInit2` are function-like macros (they pass the
// library version and the stream size to `deflateInit2_`/`inflateInit2_`), which Swift cannot
// import. These three functions do one whole-buffer operation each; no allocation, no state.

#include <stddef.h>
#include <stdint.h>

/// An upper bound for `cgzip_compress`'s output for `length` input bytes (zlib's bound plus the
/// gzip header and trailer).
size_t cgzip_bound(size_t length);

/// Compresses `length` bytes at `input` into one gzip member at `output` (capacity `capacity`),
/// with compression `level` 0...9 (or -1 for zlib's default, 6).
/// Returns the number of bytes written, or a negative zlib status (`Z_BUF_ERROR` when `capacity`
/// is too small, `Z_STREAM_ERROR` for a bad level, `Z_MEM_ERROR`).
/// The corresponding zlib calls are `deflateInit2` (windowBits 31), `deflate` and `deflateEnd`.
long cgzip_compress(const uint8_t *input, size_t length, uint8_t *output, size_t capacity, int level);

/// Decompresses the gzip (or zlib) stream at `input` into `output` (capacity `capacity`).
/// Returns the number of bytes written, or a negative zlib status: `Z_BUF_ERROR` when `capacity`
/// is too small or the input ends early, `Z_DATA_ERROR` for corrupt input, `Z_MEM_ERROR`.
/// Bytes after the end of the first stream are ignored.
/// The corresponding zlib calls are `inflateInit2` (windowBits 47: gzip or zlib), `inflate` and
/// `inflateEnd`.
long cgzip_decompress(const uint8_t *input, size_t length, uint8_t *output, size_t capacity);

#endif
