package import GlancedStats

/// One generation of the Glances API (2, 3 or 4) as a view of a sample: the plugins it has and the JSON each
/// shows. The REST API and the XML-RPC of that generation are both made from it.
package struct GlancesAPI: Sendable {
    /// The major version: 2, 3 or 4.
    package var number: Int
    /// The Glances version this generation answers as (`status`, `version`).
    package var version: String
    /// The plugin names of this generation, in wire order.
    package var names: @Sendable (Sample) -> [String]
    /// The names `all` carries.
    package var allNames: @Sendable (Sample) -> [String]
    /// One plugin's JSON; nil when the generation has no such plugin.
    package var plugin: @Sendable (Sample, String) -> [UInt8]?
    /// One plugin's views (a decoration per field) from its configuration section; nil to decorate nothing.
    package var views: (@Sendable (Sample, String, ConfigSection) -> [UInt8]?)?
    /// The fields a plugin's history keeps, by plugin (Glances' `items_history_list`); a plugin not here keeps
    /// none.
    package var historyFields: [String: [String]] = GlancesAPI.historyFields3
    /// Built-in limits this generation's Glances does not have (`plugin_key`), left out of `limits` unless the
    /// configuration file sets them.
    package var omittedDefaults: Set<String> = []
    /// Built-in limits this generation's Glances has beyond glanced's (the Glances 2 shipped ones), by plugin:
    /// shown by `limits` unless the configuration file sets them.
    package var extraDefaults: [String: [(key: String, json: String)]] = [:]
    /// Plugins this generation's Glances has that glanced has no data for, with the JSON it answers for them
    /// (`containers` and `gpu` empty, `version` the version): listed, in `all`, answered.
    package var constants: [(name: String, json: String)] = []

    /// Creates a generation.
    package init(
        number: Int, version: String, names: @escaping @Sendable (Sample) -> [String],
        allNames: @escaping @Sendable (Sample) -> [String], plugin: @escaping @Sendable (Sample, String) -> [UInt8]?,
        views: (@Sendable (Sample, String, ConfigSection) -> [UInt8]?)? = nil
    ) {
        self.number = number
        self.version = version
        self.names = names
        self.allNames = allNames
        self.plugin = plugin
        self.views = views
    }

    /// Glances 3 or 4, as their servers answer: ``GlancesJSON`` of `generation` for `plugins` (the plugins the
    /// generation lists, in wire order), with the views decorated from the configured thresholds.
    package static func glances(_ generation: GlancesGeneration, plugins: [String]) -> GlancesAPI {
        var api = GlancesAPI(
            number: generation.rawValue, version: GlancesMethods.protocolVersion(of: generation),
            names: { _ in plugins }, allNames: { _ in plugins },
            plugin: { sample, name in
                guard plugins.contains(name), let position = sample.position(of: name) else { return nil }
                return GlancesJSON.plugin(sample, at: position, generation: generation)
            },
            views: { sample, name, limits in
                guard plugins.contains(name), let position = sample.position(of: name) else { return nil }
                return GlancesViews.plugin(sample, at: position, limits: limits, generation: generation)
            }
        )
        func levels(_ prefixes: [String], _ values: [String]) -> [(key: String, json: String)] {
            prefixes.flatMap { prefix in
                zip(["careful", "warning", "critical"], values).map { (prefix + "_" + $0, $1) }
            }
        }
        api.extraDefaults = [
            "cpu": levels(["ctx_switches"], ["80000.0", "90000.0", "100000.0"]),
            "network": levels(["rx", "tx"], ["50.0", "70.0", "90.0"]),
            "system": [("refresh", "60")],
        ]
        api.omittedDefaults = ["percpu_iowait_careful", "percpu_iowait_warning", "percpu_iowait_critical"]
        if generation == .v3 { api.extraDefaults["sensors"] = [("refresh", "2.0")] }
        if generation >= .v4 {
            api.constants = [("containers", "[]"), ("gpu", "[]"), ("version", "\"\(api.version)\"")]
            api.historyFields = historyFields4
            // Glances 4 ships no core-temperature thresholds and no sensors refresh.
            api.omittedDefaults.formUnion([
                "sensors_temperature_core_careful", "sensors_temperature_core_warning",
                "sensors_temperature_core_critical",
            ])
        }
        if !api.constants.isEmpty {
            let constants = api.constants
            let names = plugins + constants.map(\.name)
            let plugin = api.plugin
            api.names = { _ in names }
            api.allNames = { _ in names }
            api.plugin = { sample, name in
                plugin(sample, name) ?? constants.first { $0.name == name }.map { Array($0.json.utf8) }
            }
        }
        return api
    }

    /// What Glances 2 and 3 keep history of: the percentages and rates their charts draw.
    package static let historyFields3: [String: [String]] = [
        "cpu": ["user", "system"], "percpu": ["user", "system"], "load": ["min1", "min5", "min15"],
        "mem": ["percent"], "memswap": ["percent"], "fs": ["percent"], "network": ["rx", "tx"],
        "diskio": ["read_bytes", "write_bytes"], "quicklook": ["cpu", "percpu", "mem", "swap"],
        "processcount": ["total", "running", "sleeping", "thread"],
    ]

    /// What Glances 4 keeps history of: the same, with its rates and the load in quicklook.
    package static let historyFields4: [String: [String]] = historyFields3.merging([
        "network": ["bytes_recv_rate_per_sec", "bytes_sent_rate_per_sec"],
        "diskio": ["read_bytes_rate_per_sec", "write_bytes_rate_per_sec"],
        "quicklook": ["cpu", "percpu", "mem", "swap", "load", "gpu_mem", "gpu_proc"],
    ]) { _, new in new }

    /// The `all` object: every plugin of ``allNames`` by name.
    package func all(_ sample: Sample) -> [UInt8] {
        var writer = JSONWriter(capacity: 64 * 1024)
        writer.object { json in
            for name in allNames(sample) {
                guard let document = plugin(sample, name) else { continue }
                json.key(name)
                json.raw(document)
            }
        }
        return writer.bytes
    }

    /// Glances 2 as its REST API (2.11.1) shows it: the JSON of the 2.0 XML-RPC server (``Glances2JSON``) for
    /// `plugins` (the Glances plugins, in wire order), with the `key` field on list entries that names the field
    /// identifying the entry.
    package static func glances2REST(plugins: [String]) -> GlancesAPI {
        GlancesAPI(
            number: 2, version: "2.11.1", names: { _ in plugins },
            allNames: { sample in plugins.filter { sample.position(of: $0).map { sample.inGetAll[$0] } ?? false } },
            plugin: { sample, name in
                guard plugins.contains(name), let position = sample.position(of: name) else { return nil }
                return withKeys(Glances2JSON.plugin(sample, at: position))
            }
        )
    }

    /// The fields that identify a list entry, as Glances' `get_key()` names them, by order of preference.
    static let keyFields = ["interface_name", "disk_name", "mnt_point", "cpu_number", "pid", "label", "description"]

    /// `document` with `"key": "<field>"` added, as its last member, to each object entry of a list that has one of
    /// ``keyFields`` and no `key` of its own.
    ///
    /// One pass over the bytes, copying them and inserting the member before each entry's closing brace: no tree of
    /// the document is built (the process list of a thousand processes would be tens of thousands of small
    /// allocations per sample). `document` is a rendering of ours, valid JSON; anything else comes back as it is.
    static func withKeys(_ document: [UInt8]) -> [UInt8] {
        guard document.first == UInt8(ascii: "[") else { return document }
        var output: [UInt8] = []
        output.reserveCapacity(document.count + document.count / 16)
        var depth = 0
        var inString = false
        var escaped = false
        /// Where the current string started (at depth 2, a member name of the current entry if a colon follows).
        var stringStart = 0
        var lastString: Range<Int>?
        /// The preferred key field the current entry has (its index in ``keyFields``), and whether it has `key`.
        var best: Int?
        var hasKey = false
        for (index, byte) in document.enumerated() {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                    lastString = stringStart..<(index + 1)
                }
                output.append(byte)
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                inString = true
                stringStart = index
            case UInt8(ascii: ":"):
                if depth == 2, let name = lastString {
                    let key = document[(name.lowerBound + 1)..<(name.upperBound - 1)]
                    if key.elementsEqual("key".utf8) {
                        hasKey = true
                    } else if let rank = keyFieldBytes.firstIndex(where: { key.elementsEqual($0) }) {
                        best = min(best ?? rank, rank)
                    }
                }
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                if depth == 2, byte == UInt8(ascii: "{") {
                    best = nil
                    hasKey = false
                }
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if depth == 2, byte == UInt8(ascii: "}"), !hasKey, let best {
                    output += Array(", \"key\": \"".utf8) + Array(keyFields[best].utf8) + [UInt8(ascii: "\"")]
                }
                depth -= 1
            default:
                break
            }
            lastString = byte == UInt8(ascii: "\"") || byte == UInt8(ascii: " ") ? lastString : nil
            output.append(byte)
        }
        return output
    }

    /// ``keyFields`` as bytes.
    private static let keyFieldBytes = keyFields.map { Array($0.utf8) }
}
