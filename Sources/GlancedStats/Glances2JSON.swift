/// The Glances 2.0 JSON renderer: each plugin's stats as `json.dumps` writes them for a 2.x server, and the
/// `getAll` object. Pure functions of a ``Sample``.
package enum Glances2JSON {
    /// The JSON of the plugin at `position` of the sample.
    package static func plugin(_ sample: Sample, at position: Int) -> [UInt8] {
        var writer = JSONWriter()
        sample.stats[position].writeGlances2(into: &writer)
        return writer.bytes
    }

    /// The `getAll` object: every 2.x plugin `getAll` carries, by name, in wire order.
    package static func all(_ sample: Sample) -> [UInt8] {
        var writer = JSONWriter(capacity: 64 * 1024)
        writer.object { json in
            for position in sample.names.indices where sample.carries(position, in: .v2) {
                json.key(sample.names[position])
                sample.stats[position].writeGlances2(into: &json)
            }
        }
        return writer.bytes
    }
}

extension JSONWriter {
    /// `time_since_update`: the seconds since the previous sample, or the int `1` on the first, as Glances
    /// writes it.
    package mutating func timeSinceUpdate(_ interval: Double?) {
        key("time_since_update")
        if let interval { value(interval) } else { value(1) }
    }
}
