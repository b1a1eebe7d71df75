import GlancedSystem

/// The fuzz test (libFuzzer's `LLVMFuzzerTestOneInput`): `HddtempReply.parse` over arbitrary bytes, what any
/// process listening on the configured hddtemp port may send.
///
/// Besides not crashing: a reply yields at most one disk per five `|`, no disk has an empty label, and a
/// truncated reply yields the first disks of the whole one (its complete records), never others.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHddtemp(_ data: UnsafePointer<UInt8>?, _ count: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: count)) } ?? []
    let disks = HddtempReply.parse(bytes)
    let separators = bytes.reduce(0) { $0 + ($1 == UInt8(ascii: "|") ? 1 : 0) }
    precondition(disks.count <= separators / 5, "\(disks.count) disks from \(separators) separators")
    for disk in disks {
        precondition(!disk.label.isEmpty, "a disk without a label")
    }
    let half = HddtempReply.parse(Array(bytes.prefix(bytes.count / 2)))
    precondition(half.count <= disks.count, "a prefix yields more disks than the whole reply")
    precondition(half == Array(disks.prefix(half.count)), "a prefix yields other disks than the whole reply")
    return 0
}
