/// One sample as the history keeps it: for each API generation, the values of the series its history routes
/// show, as that generation renders them. A few hundred bytes, where the sample's stats were kilobytes: the
/// history keeps hundreds of them.
package struct HistoryFrame: Sendable {
    /// The sample's sequence number.
    package let sequence: Int
    /// When the sample was taken, seconds since the epoch.
    package let epoch: Double
    /// The values, one column per generation.
    package let columns: [HistoryValues]

    /// A frame of `columns` for the sample `sequence` taken at `epoch`.
    package init(sequence: Int, epoch: Double, columns: [HistoryValues]) {
        self.sequence = sequence
        self.epoch = epoch
        self.columns = columns
    }

    /// The column of the generation `number`, if the frame has one.
    package func column(_ number: Int) -> HistoryValues? {
        columns.first { $0.generation == number }
    }
}

/// What each value of a ``HistoryValues`` is: shared by consecutive frames while the series stay the same.
package final class HistorySeries: Sendable {
    /// One series: the plugin, the field it shows and its name in the history routes (`<entry key>_<field>` for a
    /// list plugin's entries).
    package struct Entry: Sendable, Equatable {
        package let plugin: String
        package let field: String
        package let name: String

        package init(plugin: String, field: String, name: String) {
            self.plugin = plugin
            self.field = field
            self.name = name
        }
    }

    package let entries: [Entry]

    package init(_ entries: [Entry]) {
        self.entries = entries
    }
}

/// One generation's series values of one sample, as JSON values (`12.5`, `null`), packed in one buffer.
package struct HistoryValues: Sendable {
    /// The generation's number.
    package let generation: Int
    /// What each value is.
    package let series: HistorySeries
    private let bytes: [UInt8]
    /// Where each value ends in `bytes`.
    private let ends: [UInt32]

    /// Packs `values`, one per entry of `series`; `previous`'s series is reused when it has the same entries.
    package init(generation: Int, entries: [HistorySeries.Entry], values: [[UInt8]], previous: HistoryValues?) {
        precondition(entries.count == values.count, "one value per series")
        self.generation = generation
        if let previous, previous.series.entries == entries {
            self.series = previous.series
        } else {
            self.series = HistorySeries(entries)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(values.reduce(0) { $0 + $1.count })
        var ends: [UInt32] = []
        ends.reserveCapacity(values.count)
        for value in values {
            bytes += value
            ends.append(UInt32(bytes.count))
        }
        self.bytes = bytes
        self.ends = ends
    }

    /// The JSON value of series `index`.
    package func value(at index: Int) -> ArraySlice<UInt8> {
        let start = index == 0 ? 0 : Int(ends[index - 1])
        return bytes[start..<Int(ends[index])]
    }
}
