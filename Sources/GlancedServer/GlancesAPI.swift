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
        GlancesAPI(
            number: generation.rawValue, version: GlancesMethods.protocolVersion(of: generation),
            names: { _ in plugins }, allNames: { _ in plugins },
            plugin: { sample, name in
                guard plugins.contains(name), let position = sample.position(of: name) else { return nil }
                return GlancesJSON.plugin(sample, at: position, generation: generation)
            },
            views: { sample, name, limits in
                guard plugins.contains(name), let position = sample.position(of: name) else { return nil }
                return GlancesViews.plugin(sample, at: position, limits: limits)
            }
        )
    }

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

    /// `document` with `"key": "<field>"` added to each object entry of a list that has one of ``keyFields``.
    static func withKeys(_ document: [UInt8]) -> [UInt8] {
        guard document.first == UInt8(ascii: "["), let node = JSONNode.parse(document), let elements = node.elements,
            !elements.isEmpty
        else { return document }
        let keyed = elements.map { entry -> JSONNode in
            guard var members = entry.members, entry["key"] == nil,
                let field = keyFields.first(where: { entry[$0] != nil })
            else { return entry }
            var text = JSONWriter()
            text.value(field)
            members.append(JSONNode.Member(key: "key", value: .scalar(text.bytes)))
            return .object(members)
        }
        return JSONNode.array(keyed).bytes
    }
}
