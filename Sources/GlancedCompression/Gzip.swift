private import CGzip

/// gzip (RFC 1952) compression for HTTP bodies, through zlib.
///
/// The application compresses a reply once per sample and hands it to the server as
/// ``HTTPResponse/gzippedBody``; the server compresses by itself only when no such form is given.
package enum Gzip {
    /// The compression level the server uses for replies that come without a ``HTTPResponse/gzippedBody``:
    /// zlib's fastest, since the work is done per request.
    package static let serverLevel = 1

    /// Compresses `bytes` into one gzip member.
    ///
    /// - Parameters:
    ///   - bytes: The data to compress.
    ///   - level: zlib's compression level, 0 (stored) ... 9 (smallest); 6 is zlib's default.
    /// - Returns: The gzip stream (it starts with the magic bytes `1f 8b`).
    ///
    /// The corresponding zlib calls are `deflateInit2` (windowBits 31), `deflate` and `deflateEnd`.
    package static func compress(_ bytes: [UInt8], level: Int = 6) -> [UInt8] {
        precondition((0...9).contains(level), "gzip level must be 0...9, not \(level)")
        let capacity = cgzip_bound(bytes.count)
        return [UInt8](unsafeUninitializedCapacity: capacity) { output, count in
            let written = bytes.withUnsafeBufferPointer { input in
                cgzip_compress(input.baseAddress, input.count, output.baseAddress, capacity, Int32(level))
            }
            // Only an allocation failure inside zlib can get here: the bound is always enough.
            precondition(written >= 0, "zlib deflate failed with status \(written)")
            count = written
        }
    }

    /// Decompresses a gzip (or zlib) stream.
    ///
    /// - Parameters:
    ///   - bytes: The compressed stream; bytes after its end are ignored.
    ///   - maxSize: The largest output accepted (a guard against decompression bombs).
    /// - Returns: The original data, or `nil` when the stream is corrupt, truncated or inflates to
    ///   more than `maxSize` bytes.
    ///
    /// The corresponding zlib calls are `inflateInit2` (windowBits 47), `inflate` and `inflateEnd`.
    package static func decompress(_ bytes: [UInt8], maxSize: Int = 64 << 20) -> [UInt8]? {
        // Z_BUF_ERROR from zlib.h: the output was too small (or the input ended early).
        let bufferError = -5
        var capacity = min(max(bytes.count * 4, 4096), maxSize)
        while true {
            var status = 0
            let result = [UInt8](unsafeUninitializedCapacity: capacity) { output, count in
                status = bytes.withUnsafeBufferPointer { input in
                    cgzip_decompress(input.baseAddress, input.count, output.baseAddress, capacity)
                }
                count = max(status, 0)
            }
            if status >= 0 { return result }
            // Either the output buffer is too small or the input is truncated: grow until maxSize.
            guard status == bufferError, capacity < maxSize else { return nil }
            capacity = capacity > maxSize / 2 ? maxSize : capacity * 2
        }
    }
}
