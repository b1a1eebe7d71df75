package import GlancedStats

extension GlancesAPI {
    /// What the history keeps of `sample` for the REST `generations`: for each, the values of the fields its
    /// history routes show (``historyFields``) of every plugin kept in history, as that generation renders them.
    /// `previous` is the frame before, whose series lists are shared when they have not changed.
    package static func historyFrame(_ sample: Sample, generations: [GlancesAPI], previous: HistoryFrame?)
        -> HistoryFrame
    {
        let columns = generations.map { api in
            var entries: [HistorySeries.Entry] = []
            var values: [[UInt8]] = []
            for (position, name) in sample.names.enumerated() where sample.inHistory[position] {
                guard let fields = api.historyFields[name], let document = api.plugin(sample, name),
                    let node = JSONNode.parse(document)
                else { continue }
                for (field, series, value) in historyValues(of: node, fields: Set(fields)) {
                    entries.append(HistorySeries.Entry(plugin: name, field: field, name: series))
                    values.append(value)
                }
            }
            return HistoryValues(
                generation: api.number, entries: entries, values: values, previous: previous?.column(api.number))
        }
        return HistoryFrame(sequence: sample.sequence, epoch: sample.epoch, columns: columns)
    }

    /// The values of `fields` in a plugin's JSON: the field, its history name (`<entry key>_<field>` for list
    /// plugins) and the value.
    static func historyValues(of node: JSONNode, fields: Set<String>) -> [(String, String, [UInt8])] {
        var values: [(String, String, [UInt8])] = []
        func add(_ members: [JSONNode.Member], prefix: String) {
            for member in members where fields.contains(member.key) {
                values.append((member.key, prefix + member.key, member.value.bytes))
            }
        }
        if let members = node.members {
            add(members, prefix: "")
        } else if let elements = node.elements {
            for entry in elements {
                guard let members = entry.members else { continue }
                let keyValue = entry["key"]?.string.flatMap { entry[$0] }
                let label = keyValue.map { $0.string ?? String(decoding: $0.bytes, as: UTF8.self) }
                add(members, prefix: label.map { $0 + "_" } ?? "")
            }
        }
        return values
    }
}
