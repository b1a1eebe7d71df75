#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The process's open-files limit (`RLIMIT_NOFILE`) and the connection limit that follows from it: every
/// connection is a descriptor, and a server out of descriptors cannot even accept a connection to shed another.
package enum OpenFileLimit {
    /// Descriptors kept for everything but connections: the listening socket, the event loop's, the files the
    /// collectors keep open, the commands they run, logs.
    package static let reserve = 256
    /// The most connections served by default however high the limit: each open connection costs memory.
    package static let defaultConnectionCap = 4_096

    /// The soft and hard limits now.
    package static var current: (soft: Int, hard: Int) {
        var limit = rlimit()
        guard getrlimit(Self.resource, &limit) == 0 else { return (1024, 1024) }
        return (Self.count(limit.rlim_cur), Self.count(limit.rlim_max))
    }

    /// Raises the soft limit to the hard one (the most an unprivileged process may), as servers do at start-up:
    /// the soft limit is often 1,024 for compatibility with `select(2)`, which nothing here uses.
    ///
    /// An unlimited hard limit is not a valid soft one for descriptors: the kernel's `fs.nr_open` is the ceiling
    /// then.
    ///
    /// - Returns: The soft limit afterwards (unchanged if it could not be raised).
    @discardableResult
    package static func raiseToHardLimit() -> Int {
        var limit = rlimit()
        guard getrlimit(Self.resource, &limit) == 0 else { return Self.current.soft }
        guard limit.rlim_cur < limit.rlim_max else { return Self.count(limit.rlim_cur) }
        var wanted = limit
        wanted.rlim_cur = limit.rlim_max
        if setrlimit(Self.resource, &wanted) != 0 {
            // RLIM_INFINITY, or above fs.nr_open: try the kernel's usual ceiling.
            wanted.rlim_cur = min(limit.rlim_max, 1 << 20)
            _ = setrlimit(Self.resource, &wanted)
        }
        return Self.current.soft
    }

    /// The connections a process may hold with `softLimit` descriptors: all but ``reserve``, and at least half.
    package static func connectionCapacity(softLimit: Int) -> Int {
        max(1, softLimit - Self.reserve, softLimit / 2)
    }

    /// The default connection limit for a process with `softLimit` descriptors:
    /// ``connectionCapacity(softLimit:)``, at most ``defaultConnectionCap``.
    package static func defaultConnectionLimit(softLimit: Int) -> Int {
        min(Self.defaultConnectionCap, Self.connectionCapacity(softLimit: softLimit))
    }

    /// The default connection limit for this process's soft limit now.
    package static var defaultConnectionLimit: Int {
        Self.defaultConnectionLimit(softLimit: Self.current.soft)
    }

    #if canImport(Glibc)
        private static let resource = Int32(RLIMIT_NOFILE.rawValue)
    #else
        private static let resource = RLIMIT_NOFILE
    #endif

    private static func count(_ value: rlim_t) -> Int {
        value >= rlim_t(Int.max) ? Int.max : Int(value)
    }
}
