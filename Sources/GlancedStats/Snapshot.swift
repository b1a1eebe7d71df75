/// Every plugin's stats from one sample, rendered to JSON once; immutable and shared by all callers.
package final class Snapshot: Sendable {
    /// The plugin names, in wire order.
    package let names: [String]
    /// Each plugin's JSON, aligned with ``names``.
    package let documents: [[UInt8]]
    /// The `getAll` object: every plugin but `monitor` (Glances ≥ 2.7 clients crash on a key they
    /// have no plugin for; the 2.0 client reads monitor through `getAllMonitored`).
    package let all: [UInt8]
    /// Counts samples: 1 for the first one the server took.
    package let sequence: Int
    /// Monotonic time the sample was taken, seconds.
    package let takenAt: Double

    private let index: [String: Int]

    /// Plugins that `getAll` leaves out.
    package static let excludedFromAll: Set<String> = ["monitor"]

    /// Assembles a snapshot from rendered plugin documents.
    package init(names: [String], documents: [[UInt8]], sequence: Int, takenAt: Double) {
        precondition(names.count == documents.count, "one document per plugin")
        self.names = names
        self.documents = documents
        self.sequence = sequence
        self.takenAt = takenAt
        var index: [String: Int] = [:]
        for (position, name) in names.enumerated() { index[name] = position }
        self.index = index
        var writer = JSONWriter(capacity: documents.reduce(64) { $0 + $1.count + 32 })
        writer.object { json in
            for (name, document) in zip(names, documents) where !Self.excludedFromAll.contains(name) {
                json.key(name)
                json.raw(document)
            }
        }
        self.all = writer.bytes
    }

    /// The JSON of plugin `name` (exact, lower-case wire name), or nil for an unknown plugin.
    package func document(for name: String) -> [UInt8]? {
        index[name].map { documents[$0] }
    }
}
