import FuzzSupport
import GlancedServer
import GlancedStats
import GlancedSystem

/// The fuzz test (libFuzzer's `LLVMFuzzerTestOneInput`): the Glances 2 JSON renderer over typed stats of every
/// plugin built from the input (`FuzzStats`: any text, invalid UTF-8 repaired, control bytes and quotes; counters
/// up to `UInt64.max`; NaN, ±Inf, huge and negative doubles; empty and long lists).
///
/// Besides not crashing: each plugin's rendering (`Glances2JSON.plugin`) and `getAll` (`Glances2JSON.all`) parse
/// with `JSONNode.parse`, as the REST routes parse them; every number in them is finite (JSON has no NaN); every
/// string the stats hold reads back as the same text where the plugin writes it, and each list has one entry per
/// item; the Glances 3.x and 4.x renderings (`GlancesJSON`) of each plugin parse with finite numbers; `getAll` of
/// each generation holds exactly the plugins it carries, in order, each as its own rendering; the REST v2 view
/// of a list (`GlancesAPI.glances2REST`, which adds `key` to its entries) parses, with the same entries.
///
/// `getAll` is checked byte for byte against the object of the plugins' own renderings (`Checks.object`): that
/// implies it parses to those plugins' nodes, without parsing every rendering a second time.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGlances2JSON(_ data: UnsafePointer<UInt8>?, _ count: Int) -> Int32 {
    var input = FuzzInput(data.map { Array(UnsafeBufferPointer(start: $0, count: count)) } ?? [])
    let sample = FuzzStats.sample(&input)
    var nodes: [JSONNode] = []
    var renderings: [[UInt8]] = []
    for position in sample.names.indices {
        let name = sample.names[position]
        let rendering = Glances2JSON.plugin(sample, at: position)
        renderings.append(rendering)
        guard let node = JSONNode.parse(rendering) else {
            preconditionFailure("\(name) does not parse: \(String(decoding: rendering, as: UTF8.self))")
        }
        Checks.scalars(node, in: name)
        Checks.plugin(name, sample.stats[position], node)
        nodes.append(node)
    }
    let carried = sample.names.indices.filter { sample.carries($0, in: .v2) }
    precondition(
        Glances2JSON.all(sample) == Checks.object(carried.map { (sample.names[$0], renderings[$0]) }),
        "getAll is not the object of the plugins it carries, each its own rendering")
    // Glances 3.x and 4.x: every plugin of the generation and getAll parse, numbers finite, strings unescape;
    // getAll holds the plugins it carries, each as its own rendering.
    for generation in [GlancesGeneration.v3, .v4] {
        var rendered: [Int: [UInt8]] = [:]
        for position in sample.names.indices where sample.generations[position].contains(generation) {
            let bytes = GlancesJSON.plugin(sample, at: position, generation: generation)
            guard let node = JSONNode.parse(bytes) else {
                preconditionFailure(
                    "\(sample.names[position]) v\(generation) does not parse: \(String(decoding: bytes, as: UTF8.self))"
                )
            }
            Checks.scalars(node, in: "\(sample.names[position]) v\(generation)")
            rendered[position] = bytes
        }
        let carried = sample.names.indices.filter { sample.carries($0, in: generation) }
        precondition(
            GlancesJSON.all(sample, generation: generation)
                == Checks.object(carried.map { (sample.names[$0], rendered[$0]!) }),
            "getAll v\(generation) is not the object of the plugins it carries, each its own rendering")
    }
    // REST v2 adds `key` to the entries of lists; other plugins it serves as they are.
    for (position, name) in sample.names.enumerated() where nodes[position].elements?.isEmpty == false {
        guard let document = Checks.rest.plugin(sample, name) else { continue }
        guard let keyed = JSONNode.parse(document)?.elements else { preconditionFailure("REST v2 \(name) is no list") }
        precondition(keyed.count == nodes[position].elements?.count, "REST v2 \(name) has other entries")
    }
    return 0
}

enum Checks {
    /// REST v2 over the registered Glances plugins, as the server builds it: once, not per input.
    static let rest = GlancesAPI.glances2REST(plugins: PluginRegistry.names)

    /// The JSON object of `members` (names, each with its rendering), as `getAll` must read: `{"name": …, …}`.
    static func object(_ members: [(String, [UInt8])]) -> [UInt8] {
        var writer = JSONWriter()
        writer.object { json in
            for (name, rendering) in members {
                json.key(name)
                json.raw(rendering)
            }
        }
        return writer.bytes
    }

    /// Every number is finite, every string unescapes.
    static func scalars(_ node: JSONNode, in plugin: String) {
        switch node {
        case .scalar(let raw):
            if raw.first == UInt8(ascii: "\"") {
                precondition(node.string != nil, "\(plugin): a string that does not unescape")
            } else if let number = node.number {
                precondition(number.isFinite, "\(plugin): a number that is not finite")
            } else {
                let word = String(decoding: raw, as: UTF8.self)
                precondition(["true", "false", "null"].contains(word), "\(plugin): the scalar \(word)")
            }
        case .array(let elements):
            for element in elements { scalars(element, in: plugin) }
        case .object(let members):
            for member in members { scalars(member.value, in: plugin) }
        }
    }

    /// `node` is the string `text`, scalar for scalar.
    static func same(_ node: JSONNode?, _ text: String?, _ what: @autoclosure () -> String) {
        guard let text else {
            precondition(node == .scalar(Array("null".utf8)), "\(what()): not null")
            return
        }
        guard let read = node?.string else { preconditionFailure("\(what()): not a string") }
        precondition(
            read.unicodeScalars.elementsEqual(text.unicodeScalars),
            "\(what()): \(text.debugDescription) read back as \(read.debugDescription)")
    }

    /// The entries of a list rendering, `count` of them.
    static func entries(_ node: JSONNode, _ count: Int, _ plugin: String) -> [JSONNode] {
        guard let elements = node.elements else { preconditionFailure("\(plugin) is not a list") }
        precondition(elements.count == count, "\(plugin): \(elements.count) entries for \(count) items")
        return elements
    }

    /// What each plugin's rendering holds of its stats.
    static func plugin(_ name: String, _ stats: any PluginStats, _ node: JSONNode) {
        switch stats {
        case let stats as AlertPlugin.Stats:
            for (entry, event) in zip(entries(node, stats.log.events.count, name), stats.log.events) {
                precondition(entry.elements?.count == 11, "alert: an event is not 11 values")
                same(entry.elements?[3], event.type, "alert type")
            }
        case let stats as BatPercentPlugin.Stats:
            _ = entries(node, stats.batteries.isEmpty ? 0 : 1, name)
        case let stats as DiskIOPlugin.Stats:
            // Glances 2 leaves out devices never read nor written.
            let shown = stats.disks.filter { !$0.counters.isUnused }
            for (entry, disk) in zip(entries(node, shown.count, name), shown) {
                same(entry["disk_name"], disk.counters.name, "diskio disk_name")
            }
        case let stats as FsPlugin.Stats:
            for (entry, usage) in zip(entries(node, stats.mounts.count, name), stats.mounts) {
                same(entry["device_name"], usage.mount.device, "fs device_name")
                same(entry["fs_type"], usage.mount.fsType, "fs fs_type")
                same(entry["mnt_point"], usage.mount.mountPoint, "fs mnt_point")
            }
        case let stats as HddtempPlugin.Stats:
            for (entry, disk) in zip(entries(node, stats.disks.count, name), stats.disks) {
                same(entry["label"], disk.label, "hddtemp label")
                same(entry["value"], disk.value, "hddtemp value")
            }
        case let stats as MonitorPlugin.Stats:
            for (entry, group) in zip(entries(node, stats.groups.count, name), stats.groups) {
                same(entry["description"], group.description, "monitor description")
                same(entry["regex"], group.regex, "monitor regex")
                same(entry["command"], group.command, "monitor command")
                same(entry["countmin"], group.countMin, "monitor countmin")
                same(entry["countmax"], group.countMax, "monitor countmax")
                same(entry["result"], group.result, "monitor result")
            }
        case let stats as NetworkPlugin.Stats:
            for (entry, interface) in zip(entries(node, stats.interfaces.count, name), stats.interfaces) {
                same(entry["interface_name"], interface.counters.name, "network interface_name")
            }
        case let stats as NowPlugin.Stats:
            same(node, stats.text, "now")
        case let stats as PerCPUPlugin.Stats:
            _ = entries(node, stats.cpus.count, name)
        case let stats as ProcessListPlugin.Stats:
            for (entry, process) in zip(entries(node, stats.table.processes.count, name), stats.table.processes) {
                same(entry["name"], process.reading.name, "processlist name")
                same(entry["username"], process.reading.userName, "processlist username")
                same(entry["cmdline"], process.reading.cmdline, "processlist cmdline")
            }
        case let stats as PsutilVersionPlugin.Stats:
            _ = entries(node, stats.version.count, name)
        case let stats as SensorsPlugin.Stats:
            let labels =
                stats.readings.filter { $0.kind == .temperature }.map(\.label)
                + stats.readings.filter { $0.kind == .fan }.map(\.label) + stats.disks.map(\.label)
                + (stats.batteries.isEmpty ? [] : [BatPercentPlugin.label])
            for (entry, label) in zip(entries(node, labels.count, name), labels) {
                same(entry["label"], label, "sensors label")
            }
        case let stats as SystemPlugin.Stats:
            same(node["hostname"], stats.hostname, "system hostname")
            same(node["platform"], stats.platform, "system platform")
            same(node["linux_distro"], stats.distribution, "system linux_distro")
            same(node["os_version"], stats.kernelRelease, "system os_version")
            same(node["hr_name"], stats.humanName, "system hr_name")
        case is UptimePlugin.Stats:
            precondition(node.string != nil, "uptime is not a string")
        default:
            break
        }
    }
}
