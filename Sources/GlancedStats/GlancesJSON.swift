/// The Glances JSON renderer of any API generation: each plugin's stats and the `getAll` object as a server of
/// that generation writes them (2: ``Glances2JSON``; 3: a 3.3.1 server; 4: a 4.5.8 server). Pure functions of a
/// ``Sample``, shared by the XML-RPC methods and the REST routes.
package enum GlancesJSON {
    /// The JSON of the plugin at `position` of the sample, in the shape of `generation`.
    package static func plugin(_ sample: Sample, at position: Int, generation: GlancesGeneration) -> [UInt8] {
        var writer = JSONWriter()
        sample.stats[position].write(generation, into: &writer)
        return writer.bytes
    }

    /// The `getAll` object of `generation`: every plugin it carries, by name, in wire order.
    package static func all(_ sample: Sample, generation: GlancesGeneration) -> [UInt8] {
        var writer = JSONWriter(capacity: 64 * 1024)
        writer.object { json in
            for position in sample.names.indices where sample.carries(position, in: generation) {
                json.key(sample.names[position])
                sample.stats[position].write(generation, into: &json)
            }
        }
        return writer.bytes
    }

    /// The `getAllPlugins` array of `generation`.
    package static func pluginNames(_ sample: Sample, generation: GlancesGeneration) -> [UInt8] {
        var writer = JSONWriter()
        writer.array { json in
            for name in sample.names(in: generation) { json.value(name) }
        }
        return writer.bytes
    }
}

/// The Glances 3.x renderer (the shapes of a 3.3.1 server).
package enum Glances3JSON {
    /// The JSON of the plugin at `position`.
    package static func plugin(_ sample: Sample, at position: Int) -> [UInt8] {
        GlancesJSON.plugin(sample, at: position, generation: .v3)
    }

    /// The `getAll` object.
    package static func all(_ sample: Sample) -> [UInt8] {
        GlancesJSON.all(sample, generation: .v3)
    }
}

/// The Glances 4.x renderer (the shapes of a 4.5.8 server).
package enum Glances4JSON {
    /// The JSON of the plugin at `position`.
    package static func plugin(_ sample: Sample, at position: Int) -> [UInt8] {
        GlancesJSON.plugin(sample, at: position, generation: .v4)
    }

    /// The `getAll` object.
    package static func all(_ sample: Sample) -> [UInt8] {
        GlancesJSON.all(sample, generation: .v4)
    }
}

extension JSONWriter {
    /// `"key": "<name>"`: which field names a list entry, as 3.x and 4.x servers add to each.
    package mutating func listKey(_ name: String) {
        field("key", name)
    }

    /// The 4.x triple of a counter: `<name>` (the increase since the previous sample), `<name>_gauge` (the
    /// counter) and `<name>_rate_per_sec` (the increase per second, floored, as a float; 0 on the first sample).
    package mutating func counterTriple(_ name: String, delta: UInt64, gauge: UInt64, interval: Double?) {
        field(name, delta)
        field(name + "_gauge", gauge)
        field(name + "_rate_per_sec", Self.ratePerSecond(delta, interval))
    }

    /// `delta / interval` floored, as Glances' `delta // time_since_update`; 0 when there is no interval.
    package static func ratePerSecond(_ delta: UInt64, _ interval: Double?) -> Double {
        guard let interval, interval > 0 else { return 0 }
        return (Double(delta) / interval).rounded(.down)
    }
}
