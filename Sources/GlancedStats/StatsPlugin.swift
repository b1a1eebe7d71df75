/// One Glances plugin: its wire name and how each sample becomes its JSON stats.
///
/// Plugins live in `Plugins/`, one file each, and are listed in ``PluginRegistry``. A plugin keeps the
/// state its deltas need (the previous counters) between samples; shared inputs (one process scan, one
/// read of `/proc/stat`) come from the ``Refresh`` so two plugins never read the same file twice.
package protocol StatsPlugin {
    /// The name on the wire: in `getAllPlugins`, as a `getAll` key, and in `get<Name>` (case-insensitive).
    static var name: String { get }

    /// Creates the plugin from the configuration it may read (its own section, thresholds, hide lists).
    init(configuration: PluginConfiguration)

    /// Writes this sample's stats as one JSON value.
    ///
    /// - Parameters:
    ///   - refresh: the sample being taken, with its shared, lazily read inputs.
    ///   - json: where the value goes; exactly one value must be written.
    mutating func update(_ refresh: Refresh, into json: inout JSONWriter)

    /// Takes a reloaded configuration. By default the plugin starts afresh; a plugin with history
    /// worth keeping (the alert log) keeps it.
    mutating func reconfigure(_ configuration: PluginConfiguration)
}

extension StatsPlugin {
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
        let key = key.lowercased()
        return entries.first { $0.key == key }?.value
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
