internal import CGlanced

/// The allocator's free memory, given back to the system.
///
/// A sample's renderings are made on the event-loop threads and dropped at the next sample; glibc keeps the freed
/// blocks in each thread's arena, and pages in the middle of an arena go back only when asked. Without that, a
/// server rendering every output many times a second holds ~15 MB of free memory in two arenas (Benchmarks.md).
package enum FreeMemory {
    /// Returns every arena's whole free pages to the system (`malloc_trim(0)`).
    package static func release() {
        glanced_release_free_memory()
    }
}
