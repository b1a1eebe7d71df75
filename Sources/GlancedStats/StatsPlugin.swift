/// One plugin's reading of one sample: a typed, immutable value that every renderer reads.
///
/// Counters stay what the kernel counts (CPU ticks, bytes, packets, sectors) with the rates and percentages
/// derived from them beside them, so a renderer can write either: Glances JSON shows per-interval figures,
/// Prometheus wants the monotonic counters.
package protocol PluginStats: Sendable {
    /// Writes the Glances 2.0 JSON of these stats: exactly one value, the shapes of API.md.
    func writeGlances2(into json: inout JSONWriter)

    /// Writes the Glances 3.x JSON of these stats (what a 3.3.1 server sends). By default, the 2.0 shape.
    func writeGlances3(into json: inout JSONWriter)

    /// Writes the Glances 4.x JSON of these stats (what a 4.5.8 server sends). By default, the 3.x shape.
    func writeGlances4(into json: inout JSONWriter)

    /// The decoration Glances' views give `field` (of the list entry whose key is `item`, for list plugins):
    /// `OK`, `CAREFUL`, `WARNING` or `CRITICAL` from the thresholds in `limits` (the plugin's section with its
    /// defaults); nil for `DEFAULT` (no threshold applies). By default, nil.
    func decoration(of field: String, item: String?, limits: ConfigSection) -> String?
}

extension PluginStats {
    package func writeGlances3(into json: inout JSONWriter) {
        writeGlances2(into: &json)
    }

    package func writeGlances4(into json: inout JSONWriter) {
        writeGlances3(into: &json)
    }

    package func decoration(of field: String, item: String?, limits: ConfigSection) -> String? {
        nil
    }

    /// Writes the JSON of `generation`.
    package func write(_ generation: GlancesGeneration, into json: inout JSONWriter) {
        switch generation {
        case .v2: writeGlances2(into: &json)
        case .v3: writeGlances3(into: &json)
        case .v4: writeGlances4(into: &json)
        }
    }
}

/// A generation of the Glances XML-RPC API: what a client of that major version expects.
package enum GlancesGeneration: Int, Sendable, CaseIterable, Comparable, CustomStringConvertible {
    /// Glances 2.x: the seed's contract (API.md).
    case v2 = 2
    /// Glances 3.x, shapes of a 3.3.1 server.
    case v3 = 3
    /// Glances 4.x, shapes of a 4.5.8 server.
    case v4 = 4

    package static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    package var description: String { "\(rawValue)" }
}

/// One Glances plugin: its wire name, what it owns of `glances.conf`, and how each sample becomes its typed
/// stats.
///
/// Plugins live in `Plugins/`, one file each, and are listed in ``PluginRegistry``. A plugin keeps the
/// state its deltas need (the previous counters) between samples; shared inputs (one process scan, one
/// read of `/proc/stat`) come from the ``Refresh`` so two plugins never read the same file twice.
package protocol StatsPlugin {
    /// What one sample yields.
    associatedtype Stats: PluginStats

    /// The name on the wire: in `getAllPlugins`, as a `getAll` key, and in `get<Name>` (case-insensitive).
    static var name: String { get }

    /// Whether `getAll` carries this plugin (default true). Glances ≥ 2.7 clients end on a `getAll` key they
    /// have no plugin for; the 2.0 client reads monitor through `getAllMonitored`.
    static var inGetAll: Bool { get }

    /// Whether the history of recent samples keeps this plugin's stats (default false): only the plugins Glances
    /// keeps history of (the REST `history` routes, the web page's charts) are kept; the others would only hold
    /// memory, 300 samples' worth (the Prometheus-only files alone are kilobytes a sample).
    static var inHistory: Bool { get }

    /// Whether Glances clients see this plugin at all (default true): in `getAllPlugins`, `getAll`,
    /// `get<Name>` and `getAllLimits`. A plugin that gathers what only another output shows (the kernel files
    /// behind Prometheus' `node_*` metrics) is not listed; its stats are still in every ``Sample``.
    static var isGlancesPlugin: Bool { get }

    /// The API generations whose `getAllPlugins` and `getAll` carry this plugin (default: all, or none for a
    /// plugin that is not a Glances plugin). A 3.x or 4.x client ends on a `getAll` key it has no plugin for, so
    /// v2-only plugins (hddtemp, batpercent, monitor) must leave 3 and 4 out.
    static var generations: Set<GlancesGeneration> { get }

    /// The options of the plugin's own section that apply when the file has none: Glances' shipped
    /// thresholds (API.md §4). Empty by default.
    static var defaultOptions: [ConfigSection.Entry] { get }

    /// Whether the plugin reads option `key` (lower-case) of its own section. By default, the keys of
    /// ``defaultOptions``. Keys it does not read are ignored, whatever their value.
    static func reads(_ key: String) -> Bool

    /// Checks the options of its own section that it reads: a bad value stops start-up with its line.
    /// By default, every key of ``defaultOptions`` present in `section` must be a number.
    static func validate(_ section: ConfigSection) throws(ConfigProblem)

    /// Creates the plugin from the configuration it may read (its own section, thresholds, hide lists).
    init(configuration: PluginConfiguration)

    /// Takes this sample's stats.
    ///
    /// - Parameter refresh: the sample being taken, with its shared, lazily read inputs.
    mutating func update(_ refresh: Refresh) -> Stats

    /// Takes a reloaded configuration. By default the plugin starts afresh; a plugin with history
    /// worth keeping (the alert log) keeps it.
    mutating func reconfigure(_ configuration: PluginConfiguration)
}

extension StatsPlugin {
    package static var inGetAll: Bool { true }

    package static var inHistory: Bool { false }

    package static var isGlancesPlugin: Bool { true }

    package static var generations: Set<GlancesGeneration> {
        isGlancesPlugin ? Set(GlancesGeneration.allCases) : []
    }

    package static var defaultOptions: [ConfigSection.Entry] { [] }

    package static func reads(_ key: String) -> Bool {
        defaultOptions.contains { $0.key == key }
    }

    package static func validate(_ section: ConfigSection) throws(ConfigProblem) {
        try OptionCheck.numbers(in: section, keys: defaultOptions.map(\.key), section: name)
    }

    package mutating func reconfigure(_ configuration: PluginConfiguration) {
        self = Self(configuration: configuration)
    }
}

/// What a plugin may read of the configuration: its own `glances.conf` section, and the others by name.
package struct PluginConfiguration: Sendable {
    /// Every section of the configuration, by lower-cased name.
    package var sections: [String: ConfigSection]

    /// Creates a configuration view.
    package init(sections: [String: ConfigSection] = [:]) {
        self.sections = sections
    }

    /// The section named `name` (lower-case), empty when the file has none.
    package func section(_ name: String) -> ConfigSection {
        sections[name] ?? ConfigSection()
    }
}

/// One `[section]` of a `glances.conf` file: its options in file order, keys lower-cased.
package struct ConfigSection: Sendable, Equatable {
    /// One `key = value` line.
    package struct Entry: Sendable, Equatable {
        /// The option name, lower-cased.
        package var key: String
        /// The value, trimmed.
        package var value: String
        /// The line of the file it came from (0 for built-in defaults).
        package var line: Int

        /// Creates an entry.
        package init(key: String, value: String, line: Int = 0) {
            self.key = key
            self.value = value
            self.line = line
        }
    }

    /// The options, in file order; a later duplicate replaces an earlier one.
    package private(set) var entries: [Entry]

    /// Creates a section holding `entries`.
    package init(_ entries: [Entry] = []) {
        self.entries = []
        for entry in entries { set(entry) }
    }

    /// The value of option `key` (case-insensitive), if present.
    package subscript(key: String) -> String? {
        entry(key)?.value
    }

    /// The option `key` (case-insensitive) with its line, if present.
    package func entry(_ key: String) -> Entry? {
        let key = key.lowercased()
        return entries.first { $0.key == key }
    }

    /// Adds or replaces an option.
    package mutating func set(_ entry: Entry) {
        var entry = entry
        entry.key = entry.key.lowercased()
        if let index = entries.firstIndex(where: { $0.key == entry.key }) {
            entries[index] = entry
        } else {
            entries.append(entry)
        }
    }
}
