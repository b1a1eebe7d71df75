internal import CProc2
internal import Glibc

/// Memory and swap figures, in bytes, as `/proc/meminfo` and `/proc/vmstat` give them.
package struct MemorySample: Sendable, Equatable {
    /// `MemTotal`.
    package var total: UInt64 = 0
    /// `MemAvailable`.
    package var available: UInt64 = 0
    /// `MemFree`.
    package var free: UInt64 = 0
    /// `Active`.
    package var active: UInt64 = 0
    /// `Inactive`.
    package var inactive: UInt64 = 0
    /// `Buffers`.
    package var buffers: UInt64 = 0
    /// `Cached` + `SReclaimable`, as psutil counts the page cache.
    package var cached: UInt64 = 0
    /// `Shmem`.
    package var shared: UInt64 = 0
    /// `SwapTotal`.
    package var swapTotal: UInt64 = 0
    /// `SwapFree`.
    package var swapFree: UInt64 = 0
    /// Bytes swapped in since boot (`pswpin` pages × page size).
    package var swappedIn: UInt64 = 0
    /// Bytes swapped out since boot (`pswpout` pages × page size).
    package var swappedOut: UInt64 = 0

    /// Creates a sample with every figure zero.
    package init() {}
}

/// Reads memory figures through libproc2's meminfo and vmstat interfaces.
///
/// The corresponding libproc2 calls are `procps_meminfo_select` and `procps_vmstat_select`, which read
/// the files afresh on every call. A reader owns its libproc2 contexts: keep it in one isolation domain.
package final class MemoryReader {
    private var meminfo: OpaquePointer?
    private var vmstat: OpaquePointer?
    private var memItems: [meminfo_item] = [
        MEMINFO_MEM_TOTAL, MEMINFO_MEM_AVAILABLE, MEMINFO_MEM_FREE, MEMINFO_MEM_ACTIVE, MEMINFO_MEM_INACTIVE,
        MEMINFO_MEM_BUFFERS, MEMINFO_MEM_CACHED_ALL, MEMINFO_SWAP_TOTAL, MEMINFO_SWAP_FREE, MEMINFO_MEM_SHARED,
    ]
    private var vmItems: [vmstat_item] = [VMSTAT_PSWPIN, VMSTAT_PSWPOUT]
    private let pageSize = UInt64(sysconf(Int32(_SC_PAGESIZE)))

    /// Opens the libproc2 contexts; a failure shows as all-zero samples.
    package init() {
        if procps_meminfo_new(&meminfo) < 0 { meminfo = nil }
        if procps_vmstat_new(&vmstat) < 0 { vmstat = nil }
    }

    deinit {
        if meminfo != nil { procps_meminfo_unref(&meminfo) }
        if vmstat != nil { procps_vmstat_unref(&vmstat) }
    }

    /// Reads the current figures.
    package func read() -> MemorySample {
        var sample = MemorySample()
        if let meminfo, let stack = procps_meminfo_select(meminfo, &memItems, Int32(memItems.count)) {
            let head = stack.pointee.head!
            func kib(_ index: Int) -> UInt64 { UInt64(head[index].result.ul_int) * 1024 }
            sample.total = kib(0)
            sample.available = kib(1)
            sample.free = kib(2)
            sample.active = kib(3)
            sample.inactive = kib(4)
            sample.buffers = kib(5)
            sample.cached = kib(6)
            sample.swapTotal = kib(7)
            sample.swapFree = kib(8)
            sample.shared = kib(9)
        }
        if let vmstat, let stack = procps_vmstat_select(vmstat, &vmItems, Int32(vmItems.count)) {
            let head = stack.pointee.head!
            sample.swappedIn = UInt64(head[0].result.ul_int) * pageSize
            sample.swappedOut = UInt64(head[1].result.ul_int) * pageSize
        }
        return sample
    }
}
