/// What sysfs says of one network interface's link: whether it is up, its speed, MTU and alias.
package struct NetworkLink: Sendable, Equatable {
    /// `operstate`: `up`, `down`, `unknown` (loopback, tunnels), `dormant`, …
    package var operState: String
    /// Whether the interface is administratively up and running (`flags` has IFF_UP and the operational state
    /// is `up` or `unknown`), as psutil's `isup` reports it.
    package var isUp: Bool
    /// The link speed in Mbit/s; nil when the driver does not say (loopback, virtual devices, a down link).
    package var speedMbps: Int?
    /// The MTU in bytes.
    package var mtu: Int?
    /// `ifalias`: the description an administrator gave the interface; nil when empty.
    package var alias: String?
    /// The hardware address, e.g. `52:54:00:12:34:56`.
    package var address: String?
    /// `full`, `half` or `unknown`; nil when the driver does not say.
    package var duplex: String?
    /// Whether the physical link has carrier; nil when unknown (the interface is down).
    package var carrier: Bool?

    /// Creates a link description.
    package init(
        operState: String, isUp: Bool, speedMbps: Int? = nil, mtu: Int? = nil, alias: String? = nil,
        address: String? = nil, duplex: String? = nil, carrier: Bool? = nil
    ) {
        self.operState = operState
        self.isUp = isUp
        self.speedMbps = speedMbps
        self.mtu = mtu
        self.alias = alias
        self.address = address
        self.duplex = duplex
        self.carrier = carrier
    }
}

/// Reads `/sys/class/net/NAME/…` for each interface: a few short files, one buffer reused.
package struct NetworkLinkReader {
    private var file = ProcFileReader(capacity: 512)
    private let root: String

    /// Creates a reader under `root` (`/sys/class/net` by default).
    package init(root: String = "/sys/class/net") {
        self.root = root
    }

    /// The link of interface `name`; nil when sysfs has no such interface (it vanished, or a name that is not
    /// a plain file name).
    package mutating func read(_ name: String) -> NetworkLink? {
        guard !name.isEmpty, !name.contains("/"), name != ".", name != ".." else { return nil }
        let directory = root + "/" + name + "/"
        guard let state = text(directory + "operstate") else { return nil }
        let flags = text(directory + "flags").flatMap { UInt32($0.dropFirst(2), radix: 16) } ?? 0
        let up = flags & 1 != 0 && (state == "up" || state == "unknown")
        let speed = text(directory + "speed").flatMap { Int($0) }.flatMap { $0 > 0 ? $0 : nil }
        return NetworkLink(
            operState: state, isUp: up, speedMbps: speed, mtu: text(directory + "mtu").flatMap { Int($0) },
            alias: text(directory + "ifalias").flatMap { $0.isEmpty ? nil : $0 },
            address: text(directory + "address"), duplex: text(directory + "duplex"),
            carrier: text(directory + "carrier").flatMap { $0 == "1" ? true : $0 == "0" ? false : nil })
    }

    private mutating func text(_ path: String) -> String? {
        guard let raw = file.readString(path) else { return nil }
        var text = Substring(raw)
        while let last = text.last, last == "\n" || last == " " { text = text.dropLast() }
        return String(text)
    }
}
