/// One process as one scan read it: the kernel's figures, before any delta is computed.
package struct ProcessReading: Sendable, Equatable {
    /// Process id.
    package var pid: Int32
    /// Parent process id.
    package var parentPID: Int32
    /// The kernel state letter of `/proc/PID/stat` (`R`, `S`, `D`, `Z`, `T`, `t`, `X`, `I`, …), as ASCII.
    package var state: UInt8
    /// Nice value, -20…19.
    package var nice: Int32
    /// Number of threads.
    package var threads: Int32
    /// The CPU the process last ran on.
    package var processor: Int32 = 0
    /// User-mode CPU time, clock ticks.
    package var userTicks: UInt64
    /// Kernel-mode CPU time, clock ticks.
    package var systemTicks: UInt64
    /// Start time, clock ticks after boot. With ``pid`` it identifies a process: a reused pid gets
    /// another start time.
    package var startTicks: UInt64
    /// Resident set size, bytes.
    package var residentBytes: UInt64
    /// Virtual memory size, bytes.
    package var virtualBytes: UInt64
    /// Effective user id.
    package var userID: UInt32
    /// The effective user's name, or the uid in decimal when it has none.
    package var userName: String
    /// The process name (`comm`): the kernel's bytes, control bytes kept, invalid UTF-8 replaced by U+FFFD.
    package var name: String
    /// The arguments joined by spaces; `""` for kernel threads and zombies.
    package var cmdline: String
    /// Whether this is a kernel thread.
    package var isKernelThread: Bool
    /// Bytes read from and written to storage, or nil when `/proc/PID/io` is refused.
    package var io: ProcessIO?

    /// Creates a reading.
    package init(
        pid: Int32, parentPID: Int32 = 0, state: UInt8 = UInt8(ascii: "S"), nice: Int32 = 0, threads: Int32 = 1,
        userTicks: UInt64 = 0, systemTicks: UInt64 = 0, startTicks: UInt64 = 0, residentBytes: UInt64 = 0,
        virtualBytes: UInt64 = 0, userID: UInt32 = 0, userName: String = "root", name: String = "",
        cmdline: String = "", isKernelThread: Bool = false, io: ProcessIO? = nil
    ) {
        self.pid = pid
        self.parentPID = parentPID
        self.state = state
        self.nice = nice
        self.threads = threads
        self.userTicks = userTicks
        self.systemTicks = systemTicks
        self.startTicks = startTicks
        self.residentBytes = residentBytes
        self.virtualBytes = virtualBytes
        self.userID = userID
        self.userName = userName
        self.name = name
        self.cmdline = cmdline
        self.isKernelThread = isKernelThread
        self.io = io
    }
}

/// The storage I/O a process caused, from `/proc/PID/io`.
package struct ProcessIO: Sendable, Equatable {
    /// `read_bytes`: bytes fetched from storage.
    package var readBytes: UInt64
    /// `write_bytes`: bytes sent (or to be sent) to storage.
    package var writeBytes: UInt64

    /// Creates a pair of counters.
    package init(readBytes: UInt64, writeBytes: UInt64) {
        self.readBytes = readBytes
        self.writeBytes = writeBytes
    }

    /// Both counters zero.
    package static let zero = ProcessIO(readBytes: 0, writeBytes: 0)
}
