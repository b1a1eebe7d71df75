internal import Glibc

/// One battery under `/sys/class/power_supply`: its directory name and charge.
package struct Battery: Sendable, Equatable {
    /// The power supply's name (its directory): `BAT0`, `BAT1`, `CMB0`…
    package var name: String
    /// The charge, in percent of a full charge (`capacity`).
    package var capacity: Int

    /// Creates a battery.
    package init(name: String, capacity: Int) {
        self.name = name
        self.capacity = capacity
    }
}

/// Reads the batteries among the power supplies the kernel lists in sysfs.
///
/// A power supply is a battery when its `type` file says `Battery`; it counts when its charge reads (its
/// `capacity` file, else `energy_now`/`energy_full` or `charge_now`/`charge_full`) and its `present` file (when there is one) does not say `0` (an empty battery bay).
/// Mains adapters and USB supplies are left out. The files are read afresh on every call.
package struct PowerSupplies {
    /// The directory holding one subdirectory per power supply.
    package let root: String
    private var reader = ProcFileReader(capacity: 256)

    /// Creates a reader of the power supplies under `root`.
    ///
    /// - Parameter root: the sysfs class directory; tests point it at a fixture tree.
    package init(root: String = "/sys/class/power_supply") {
        self.root = root
    }

    /// The batteries present now, by name.
    ///
    /// - Returns: the batteries sorted by name, or `[]` when there is none or `root` cannot be listed.
    package mutating func batteries() -> [Battery] {
        var batteries: [Battery] = []
        for name in Self.entries(of: root) {
            let directory = root + "/" + name + "/"
            guard let type = reader.readString(directory + "type"), Self.trimmed(type) == "Battery" else { continue }
            if let present = reader.readString(directory + "present"), Self.trimmed(present) == "0" { continue }
            guard let capacity = capacity(in: directory) else { continue }
            batteries.append(Battery(name: name, capacity: capacity))
        }
        return batteries
    }

    /// The charge of the battery in `directory`, in percent: its `capacity` file, else `energy_now / energy_full`
    /// (µWh) or `charge_now / charge_full` (µAh), as some firmware offers only those; nil when neither reads.
    private mutating func capacity(in directory: String) -> Int? {
        if let text = reader.readString(directory + "capacity"), let capacity = Int(Self.trimmed(text)) {
            return capacity
        }
        for kind in ["energy", "charge"] {
            guard let now = reader.readString(directory + kind + "_now").flatMap({ Int64(Self.trimmed($0)) }),
                let full = reader.readString(directory + kind + "_full").flatMap({ Int64(Self.trimmed($0)) }),
                now >= 0, full > 0
            else { continue }
            // In 128 bits: `now × 100` must not trap on a firmware's absurd counter (found by FuzzGlances2JSON's
            // review of this file; the capacity file below can hold any Int too).
            return Int(Int128(min(now, full)) * 100 / Int128(full))
        }
        return nil
    }

    /// The mean charge of `batteries`, truncated to an integer as Glances' `int(sum / count)` does;
    /// nil when there is none.
    package static func meanCapacity(of batteries: [Battery]) -> Int? {
        guard !batteries.isEmpty else { return nil }
        // Summed in 128 bits: a `capacity` file may hold any Int (firmware bugs), and two near Int.max trapped the
        // renderer on overflow (FuzzGlances2JSON). The mean of Ints fits an Int; the division truncates as before.
        return Int(batteries.reduce(Int128(0)) { $0 + Int128($1.capacity) } / Int128(batteries.count))
    }

    /// The names in `directory` (hidden ones left out), sorted; `[]` when it cannot be listed.
    private static func entries(of directory: String) -> [String] {
        guard let stream = opendir(directory) else { return [] }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            // Read up to the NUL in place: glibc allocates only as much of `d_name` as the name needs, so
            // copying the whole 256-byte field would read past the entry.
            let offset = MemoryLayout<dirent>.offset(of: \dirent.d_name) ?? 19
            let name = String(cString: (UnsafeRawPointer(entry) + offset).assumingMemoryBound(to: CChar.self))
            if !name.isEmpty, !name.hasPrefix(".") { names.append(name) }
        }
        return names.sorted()
    }

    private static func trimmed(_ text: String) -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }
        guard let first = text.firstIndex(where: { !isSpace($0) }), let last = text.lastIndex(where: { !isSpace($0) })
        else { return "" }
        return text[first...last]
    }
}
