#include "CGzip.h"

#include <limits.h>
#include <string.h>
#include <zlib.h>

// zlib counts in `uInt` (32 bits): feed and drain the stream in slices so that any size works.
#define CGZIP_SLICE ((size_t)UINT_MAX)

static uInt cgzip_slice(size_t remaining) {
    return remaining > CGZIP_SLICE ? (uInt)CGZIP_SLICE : (uInt)remaining;
}

size_t cgzip_bound(size_t length) {
    // compressBound covers the zlib format (6 bytes of framing); gzip adds 12 more. The
    // extra per-slice margin covers the block overhead of inputs sliced above 4 GiB.
    size_t slices = length / CGZIP_SLICE + 1;
    return length + (length >> 12) + (length >> 14) + (length >> 25) + 13 + 12 + 5 * slices;
}

long cgzip_compress(const uint8_t *input, size_t length, uint8_t *output, size_t capacity, int level) {
    if (capacity > (size_t)LONG_MAX) {
        capacity = (size_t)LONG_MAX;
    }
    z_stream stream;
    memset(&stream, 0, sizeof stream);
    int status = deflateInit2(&stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
    if (status != Z_OK) {
        return status < 0 ? status : Z_STREAM_ERROR;
    }
    size_t inputLeft = length;
    size_t outputLeft = capacity;
    stream.next_in = (Bytef *)(uintptr_t)input;
    stream.next_out = output;
    do {
        if (stream.avail_in == 0 && inputLeft > 0) {
            stream.avail_in = cgzip_slice(inputLeft);
            inputLeft -= stream.avail_in;
        }
        if (stream.avail_out == 0) {
            if (outputLeft == 0) {
                deflateEnd(&stream);
                return Z_BUF_ERROR;
            }
            stream.avail_out = cgzip_slice(outputLeft);
            outputLeft -= stream.avail_out;
        }
        status = deflate(&stream, inputLeft == 0 ? Z_FINISH : Z_NO_FLUSH);
    } while (status == Z_OK || (status == Z_BUF_ERROR && stream.avail_out == 0 && outputLeft > 0));
    size_t written = capacity - outputLeft - stream.avail_out;
    deflateEnd(&stream);
    if (status != Z_STREAM_END) {
        return status < 0 ? status : Z_BUF_ERROR;
    }
    return (long)written;
}

long cgzip_decompress(const uint8_t *input, size_t length, uint8_t *output, size_t capacity) {
    if (capacity > (size_t)LONG_MAX) {
        capacity = (size_t)LONG_MAX;
    }
    z_stream stream;
    memset(&stream, 0, sizeof stream);
    int status = inflateInit2(&stream, 15 + 32);
    if (status != Z_OK) {
        return status < 0 ? status : Z_STREAM_ERROR;
    }
    size_t inputLeft = length;
    size_t outputLeft = capacity;
    stream.next_in = (Bytef *)(uintptr_t)input;
    stream.next_out = output;
    for (;;) {
        if (stream.avail_in == 0 && inputLeft > 0) {
            stream.avail_in = cgzip_slice(inputLeft);
            inputLeft -= stream.avail_in;
        }
        if (stream.avail_out == 0 && outputLeft > 0) {
            stream.avail_out = cgzip_slice(outputLeft);
            outputLeft -= stream.avail_out;
        }
        status = inflate(&stream, Z_NO_FLUSH);
        if (status == Z_STREAM_END) {
            break;
        }
        if (status == Z_OK) {
            continue;
        }
        if (status == Z_BUF_ERROR && stream.avail_in == 0 && inputLeft > 0) {
            continue;
        }
        if (status == Z_BUF_ERROR && stream.avail_out == 0 && outputLeft > 0) {
            continue;
        }
        // Z_BUF_ERROR here: output full, or input truncated. Z_NEED_DICT: not ours; corrupt.
        inflateEnd(&stream);
        return status == Z_NEED_DICT ? Z_DATA_ERROR : (status < 0 ? status : Z_DATA_ERROR);
    }
    size_t written = capacity - outputLeft - stream.avail_out;
    inflateEnd(&stream);
    return (long)written;
}
