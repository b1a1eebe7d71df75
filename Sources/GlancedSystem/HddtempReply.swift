/// One disk in an hddtemp daemon's reply.
package struct HddtempDisk: Sendable, Equatable {
    /// The device name without its `/dev/` prefix: `sda`, `nvme0n1`.
    package var label: String
    /// The temperature field exactly as sent: `"35"`, or a status such as `"SLP"` (asleep), `"ERR"`,
    /// `"NA"` (no sensor) or `"UNK"` (unknown drive).
    package var value: String

    /// Creates a disk entry.
    package init(label: String, value: String) {
        self.label = label
        self.value = value
    }
}

/// The hddtemp daemon's reply format: `|/dev/sda|Model|35|C|` per disk, records back to back
/// (`|/dev/sda|A|35|C||/dev/sdb|B|SLP|*|`).
package enum HddtempReply {
    /// The field separator (hddtemp's default; `-S` changes it, which Glances does not support either).
    private static let separator = UInt8(ascii: "|")

    /// Parses a reply into its disks.
    ///
    /// The reply is split on `|` as Glances does: the text before the first `|` is ignored, and each
    /// following group of five fields is one record (device, model, temperature, unit, and the empty
    /// field between `||`). A record counts only when the `|` closing its unit field has arrived, so a
    /// truncated reply yields its complete records; a record without a device name (`||`, or `/dev/` alone)
    /// is skipped.
    /// Nothing is validated further: garbage yields the records that have this shape, or none.
    ///
    /// - Parameter reply: the bytes the daemon sent, in any encoding (invalid UTF-8 is repaired).
    /// - Returns: the disks in reply order.
    package static func parse(_ reply: [UInt8]) -> [HddtempDisk] {
        let fields = reply.split(separator: separator, omittingEmptySubsequences: false)
        // fields[0] precedes the first separator; record i is fields[5i+1 ... 5i+4] and is closed by
        // the separator that starts fields[5i+5].
        var disks: [HddtempDisk] = []
        var start = 1
        while start + 4 < fields.count {
            let label = label(of: fields[start])
            if !label.isEmpty {
                disks.append(HddtempDisk(label: label, value: String(decoding: fields[start + 2], as: UTF8.self)))
            }
            start += 5
        }
        return disks
    }

    /// Parses a reply given as text (see ``parse(_:)-(Array<UInt8>)``).
    package static func parse(_ reply: String) -> [HddtempDisk] {
        parse(Array(reply.utf8))
    }

    /// The device name with everything up to and including the first `/dev/` removed.
    private static func label(of device: ArraySlice<UInt8>) -> String {
        let prefix: [UInt8] = Array("/dev/".utf8)
        var index = device.startIndex
        while index + prefix.count <= device.endIndex {
            if device[index..<index + prefix.count].elementsEqual(prefix) {
                return String(decoding: device[(index + prefix.count)...], as: UTF8.self)
            }
            index += 1
        }
        return String(decoding: device, as: UTF8.self)
    }
}
