import CGlanced

/// How glibc's allocator is set up for a long-running server that renders large replies once per sample.
enum Memory {
    /// Blocks at least this large get their own mapping, returned to the system as soon as they are freed.
    ///
    /// A sample allocates a few blocks of 100 KB–1 MB (the `getAll` JSON and XML, their gzip, the process
    /// table) and frees them at the next. glibc's default threshold (128 KiB) moves up to the size of the
    /// largest block freed, after which such blocks come from the heaps and leave holes there: resident
    /// memory then wanders by about a megabyte from sample to sample. A fixed threshold (setting it turns
    /// the moving one off) keeps it within a few hundred KiB (see Benchmarks.md).
    static let mmapThreshold: Int32 = 128 * 1024

    /// Fixes the allocator's mmap threshold at ``mmapThreshold``; the C call is `mallopt(M_MMAP_THRESHOLD)`
    /// (through `glanced_set_mmap_threshold`).
    ///
    /// Called first thing in the server.
    static func configureAllocator() {
        _ = glanced_set_mmap_threshold(mmapThreshold)
    }
}
