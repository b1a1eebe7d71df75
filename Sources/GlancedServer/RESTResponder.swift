package import GlancedHTTP
package import GlancedStats
import GlancedSync
import GlancedSystem

/// Answers the Glances RESTful JSON API, `GET /api/N/…` for each generation N it has, from the current sample.
///
/// Every answer is a rendering of the snapshot (``Snapshot/reply(_:gzipOver:render:)``), keyed by generation and
/// path: made once per sample, gzip included, however many dashboards poll. The routes, shapes and status codes
/// are Glances' (an unknown plugin is 400, an unknown item or route 404); errors are `{"detail": …}` in 4 and a
/// short HTML page in 2 and 3, as their servers write them.
package final class RESTResponder: HTTPResponder {
    private let generations: [Int: GlancesAPI]
    private let cache: StatsCache
    private let gzipThreshold: Int
    private let settings: Locked<Settings>

    /// What a configuration reload changes.
    private struct Settings: Sendable {
        var config: GlancesConfig
        var arguments: [(String, String)]
    }

    /// Creates the responder.
    ///
    /// - Parameters:
    ///   - generations: The API generations served, as `/api/<number>/`.
    ///   - cache: The samples.
    ///   - config: The configuration (`limits`, `config` routes).
    ///   - arguments: What the `args` route shows: name and value of the settings the server runs with.
    ///   - gzipThreshold: Bodies longer than this are gzipped for clients that accept it.
    package init(
        generations: [GlancesAPI], cache: StatsCache, config: GlancesConfig, arguments: [(String, String)],
        gzipThreshold: Int = 1000
    ) {
        self.generations = Dictionary(generations.map { ($0.number, $0) }, uniquingKeysWith: { first, _ in first })
        self.cache = cache
        self.gzipThreshold = gzipThreshold
        self.settings = Locked(Settings(config: config, arguments: arguments))
    }

    /// Takes a reloaded configuration.
    package func replaceConfig(_ config: GlancesConfig) {
        settings.withLock { $0.config = config }
    }

    package func respond(to request: HTTPRequest, reply: @escaping @Sendable (HTTPResponse) -> Void) {
        let parts = request.path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        // parts: "api", "N", route…
        guard parts.count >= 3, parts.first == "api", let number = Int(parts[parts.startIndex + 1]),
            let generation = generations[number]
        else {
            return reply(Self.error(404, "Not Found", generation: 4))
        }
        let route = Array(parts.dropFirst(2)).map { Self.percentDecoded($0) }
        let key = RenderingKey("rest\(number)", request.path)
        let gzipOver = request.acceptsGzip ? gzipThreshold : nil
        let settings = self.settings.withLock { $0 }
        let cache = self.cache
        cache.withCurrentSnapshot { snapshot in
            let rendering = snapshot.reply(key, gzipOver: gzipOver) { sample in
                RESTRoutes(
                    generation: generation, sample: sample, config: settings.config, arguments: settings.arguments,
                    history: { cache.history }, historySize: cache.historySize
                ).answer(route)
            }
            var headers: [(name: String, value: String)] = [
                ("Content-Type", rendering.contentType ?? Self.jsonType(generation.number))
            ]
            headers.append(("Cache-Control", "no-cache"))
            reply(
                HTTPResponse(
                    status: rendering.status, headers: headers, body: rendering.body, gzippedBody: rendering.gzipped,
                    uncompressedLength: rendering.length,
                    replay: SnapshotReplay(cache, snapshot)))
        }
    }

    /// The JSON media type each generation's server writes.
    static func jsonType(_ generation: Int) -> String {
        generation == 3 ? "application/json; charset=utf-8" : "application/json"
    }

    /// An error reply in the generation's form.
    static func error(_ status: Int, _ detail: String, generation: Int) -> HTTPResponse {
        let rendering = RESTRoutes.error(status, detail, generation: generation)
        return HTTPResponse(
            status: status, headers: [("Content-Type", rendering.contentType ?? "text/plain")], body: rendering.body)
    }

    /// `segment` with its `%XX` escapes decoded (invalid escapes are kept as they are; invalid UTF-8 is
    /// repaired).
    package static func percentDecoded(_ segment: Substring) -> String {
        guard segment.contains("%") else { return String(segment) }
        var bytes: [UInt8] = []
        let utf8 = Array(segment.utf8)
        var index = 0
        while index < utf8.count {
            if utf8[index] == UInt8(ascii: "%"), index + 2 < utf8.count,
                let value = UInt8(String(decoding: utf8[(index + 1)...(index + 2)], as: UTF8.self), radix: 16)
            {
                bytes.append(value)
                index += 3
            } else {
                bytes.append(utf8[index])
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// The REST routes of one generation, answered from one sample: a pure function of its inputs.
package struct RESTRoutes {
    let generation: GlancesAPI
    let sample: Sample
    let config: GlancesConfig
    let arguments: [(String, String)]
    let history: () -> [HistoryFrame]
    let historySize: Int

    /// Answers for `generation` from `sample`, with the recent samples as the history keeps them (oldest first).
    package init(
        generation: GlancesAPI, sample: Sample, config: GlancesConfig, arguments: [(String, String)],
        history: @escaping () -> [HistoryFrame], historySize: Int
    ) {
        self.generation = generation
        self.sample = sample
        self.config = config
        self.arguments = arguments
        self.history = history
        self.historySize = historySize
    }

    private var number: Int { generation.number }

    /// The answer to `route`, the path's segments after `/api/N/`, percent-decoded.
    package func answer(_ route: [String]) -> Rendering {
        var route = route
        // A trailing slash names the same resource, except where a value may itself end in `/`.
        if route.count > 1, route.last == "", !(route.count >= 4 && route[2] == "value") { route.removeLast() }
        guard let head = route.first, !head.isEmpty else { return Self.error(404, "Not Found", generation: number) }
        switch (head, route.count) {
        case ("status", 1) where number >= 3:
            if number == 3 { return Rendering(body: Array("Active".utf8), contentType: "text/html; charset=UTF-8") }
            return json { $0.object { $0.field("version", generation.version) } }
        case ("pluginslist", 1):
            return json { json in json.array { for name in generation.names(sample) { $0.value(name) } } }
        case ("all", 1):
            return Rendering(body: generation.all(sample))
        case ("all", 2) where route[1] == "limits":
            return json { json in
                json.object { json in
                    for name in generation.names(sample) {
                        json.key(name)
                        writeLimits(of: name, into: &json)
                    }
                }
            }
        case ("all", 2) where route[1] == "views":
            return json { json in
                json.object { json in
                    for name in generation.allNames(sample) {
                        guard let node = node(of: name) else { continue }
                        json.key(name)
                        writeViews(of: name, node: node, into: &json)
                    }
                }
            }
        case ("args", 1):
            return json { json in json.object { for (name, value) in arguments { $0.field(name, value) } } }
        case ("args", 2):
            guard let value = arguments.first(where: { $0.0 == route[1] })?.1 else { return notFound(route) }
            return json { $0.object { $0.field(route[1], value) } }
        case ("config", 1), ("config", 2), ("config", 3):
            return configAnswer(Array(route.dropFirst()))
        default:
            return pluginAnswer(route)
        }
    }

    // MARK: Plugins

    private func pluginAnswer(_ route: [String]) -> Rendering {
        let name = route[0]
        let names = generation.names(sample)
        guard names.contains(name), let document = generation.plugin(sample, name) else {
            return Self.error(
                400, "Unknown plugin \(name) (available plugins: \(names))", generation: number)
        }
        if route.count == 1 { return Rendering(body: document) }
        guard let node = JSONNode.parse(document) else { return notFound(route) }
        let rest = Array(route.dropFirst())
        switch (rest[0], rest.count) {
        case ("limits", 1):
            return json { writeLimits(of: name, into: &$0) }
        case ("views", 1):
            return json { writeViews(of: name, node: node, into: &$0) }
        case ("history", 1), ("history", 2):
            return historyAnswer(plugin: name, item: nil, count: rest.count == 2 ? rest[1] : nil, route: route)
        case ("top", 2) where number >= 4:
            guard let count = Int(rest[1]), count >= 0 else { return notFound(route) }
            // A plugin that is not a list is answered whole, as Glances 4 does.
            guard let elements = node.elements else { return Rendering(body: document) }
            return json { JSONNode.array(Array(elements.prefix(count))).write(into: &$0) }
        default:
            break
        }
        let item = rest[0]
        if rest.count == 1 {
            return itemAnswer(node, item: item, route: route)
        }
        if rest[1] == "history", rest.count <= 3 {
            return historyAnswer(plugin: name, item: item, count: rest.count == 3 ? rest[2] : nil, route: route)
        }
        if number >= 4 {
            if rest[1] == "value", rest.count >= 3 {
                return valueAnswer(node, item: item, value: rest[2...].joined(separator: "/"), route: route)
            }
            if rest.count == 2 { return keyAnswer(node, item: item, key: rest[1], route: route) }
            return notFound(route)
        }
        guard rest.count == 2 else { return notFound(route) }
        return valueAnswer(node, item: item, value: rest[1], route: route)
    }

    /// `{item: value}`, or for a list plugin `{item: [each entry's value]}`.
    private func itemAnswer(_ node: JSONNode, item: String, route: [String]) -> Rendering {
        if let value = node[item] {
            return json { json in
                json.object { json in
                    json.key(item)
                    value.write(into: &json)
                }
            }
        }
        guard let elements = node.elements else { return notFound(route) }
        let values = elements.compactMap { $0[item] }
        guard !values.isEmpty else { return notFound(route) }
        return json { json in
            json.object { json in
                json.key(item)
                JSONNode.array(values).write(into: &json)
            }
        }
    }

    /// `{value: [entries whose item is value]}`.
    private func valueAnswer(_ node: JSONNode, item: String, value: String, route: [String]) -> Rendering {
        guard let elements = node.elements else { return notFound(route) }
        let matching = elements.filter { $0[item]?.matches(value) ?? false }
        guard !matching.isEmpty else { return notFound(route) }
        return json { json in
            json.object { json in
                json.key(value)
                JSONNode.array(matching).write(into: &json)
            }
        }
    }

    /// Glances 4's `<plugin>/<item>/<key>`: `item` of the entry whose key is `key`.
    private func keyAnswer(_ node: JSONNode, item: String, key: String, route: [String]) -> Rendering {
        guard let elements = node.elements else { return notFound(route) }
        for entry in elements {
            guard let keyField = entry["key"]?.string, entry[keyField]?.matches(key) ?? false,
                let value = entry[item]
            else { continue }
            return json { json in
                json.object { json in
                    json.key(item)
                    value.write(into: &json)
                }
            }
        }
        return notFound(route)
    }

    // MARK: History

    /// `{field: [[time, value], …]}` over the recent samples (the last `count` when given), for the fields the
    /// generation keeps history of (``GlancesAPI/historyFields``; `item` only, when given). A list plugin's fields
    /// are named `<entry key>_<field>`, as Glances names them. Glances 4 answers an item's history as the bare
    /// list.
    private func historyAnswer(plugin: String, item: String?, count: String?, route: [String]) -> Rendering {
        var frames = history()
        if let count {
            guard let count = Int(count), count > 0 else { return notFound(route) }
            frames = Array(frames.suffix(count))
        }
        var kept = Set(generation.historyFields[plugin] ?? [])
        /// Glances 4 also names one list entry's series as the item: `eth0_bytes_recv_rate_per_sec`.
        var series: String?
        if let item, !kept.contains(item) {
            guard let field = kept.first(where: { item.hasSuffix("_" + $0) && item.count > $0.count + 1 }) else {
                return notFound(route)
            }
            series = item
            kept = [field]
        } else if let item {
            kept = [item]
        }
        var found: [(name: String, points: [(String, ArraySlice<UInt8>)])] = []
        var index: [String: Int] = [:]
        for frame in frames {
            guard let column = frame.column(number) else { continue }
            var time: String?
            for (at, entry) in column.series.entries.enumerated()
            where entry.plugin == plugin && kept.contains(entry.field) && (series == nil || entry.name == series) {
                let when =
                    time ?? HostInfo.localTimeString(epoch: frame.epoch).replacingOccurrences(of: " ", with: "T")
                time = when
                if let position = index[entry.name] {
                    found[position].points.append((when, column.value(at: at)))
                } else {
                    index[entry.name] = found.count
                    found.append((entry.name, [(when, column.value(at: at))]))
                }
            }
        }
        if series != nil, found.isEmpty { return notFound(route) }
        func writePoints(_ points: [(String, ArraySlice<UInt8>)], into json: inout JSONWriter) {
            json.array { json in
                for (time, value) in points {
                    json.array { json in
                        json.value(time)
                        json.raw(Array(value))
                    }
                }
            }
        }
        if item != nil, number >= 4, found.count <= 1 {
            return json { writePoints(found.first?.points ?? [], into: &$0) }
        }
        return json { json in
            json.object { json in
                for (name, points) in found {
                    json.key(name)
                    writePoints(points, into: &json)
                }
            }
        }
    }

    // MARK: Limits, views, config

    /// `{"<plugin>_<key>": value, …, "history_size": …}`: the plugin's options as `getAllLimits` shows them (a
    /// float when the value reads as a number, else the list of its parts), with the built-in ones of this
    /// generation's Glances (``GlancesAPI/extraDefaults``, less ``GlancesAPI/omittedDefaults``).
    private func writeLimits(of plugin: String, into json: inout JSONWriter) {
        let section = config.section(plugin)
        json.object { json in
            for entry in section.entries where plugin != "monitor" {
                let key = plugin + "_" + entry.key
                if entry.line == 0, generation.omittedDefaults.contains(key) { continue }
                json.key(key)
                if let number = Double(entry.value) {
                    json.value(number)
                } else {
                    json.array { json in
                        for part in GlancesConfig.list(entry.value) { json.value(part) }
                    }
                }
            }
            for (key, value) in generation.extraDefaults[plugin] ?? [] where section.entry(key) == nil {
                json.key(plugin + "_" + key)
                json.raw(Array(value.utf8))
            }
            json.field("history_size", Double(historySize))
        }
    }

    /// Glances' views of `plugin`: the generation's decorations from the plugin's thresholds where it has them,
    /// else ``writeDefaultViews(of:into:)``.
    private func writeViews(of plugin: String, node: JSONNode, into json: inout JSONWriter) {
        if let views = generation.views?(sample, plugin, config.section(plugin)) {
            json.raw(views)
        } else {
            Self.writeDefaultViews(of: node, into: &json)
        }
    }

    /// Views that decorate nothing: every field (per entry and field for list plugins) `DEFAULT`, shown, not
    /// optional.
    private static func writeDefaultViews(of node: JSONNode, into json: inout JSONWriter) {
        func fields(_ members: [JSONNode.Member], into json: inout JSONWriter) {
            json.object { json in
                for member in members {
                    json.key(member.key)
                    json.object { json in
                        json.field("decoration", "DEFAULT")
                        json.key("optional")
                        json.value(false)
                        json.key("additional")
                        json.value(false)
                        json.key("splittable")
                        json.value(false)
                        json.key("hidden")
                        json.value(false)
                    }
                }
            }
        }
        if let members = node.members {
            fields(members, into: &json)
        } else if let elements = node.elements {
            json.object { json in
                for (position, entry) in elements.enumerated() {
                    guard let members = entry.members else { continue }
                    let keyValue = entry["key"]?.string.flatMap { entry[$0] }
                    json.key(keyValue.map { $0.string ?? String(decoding: $0.bytes, as: UTF8.self) } ?? "\(position)")
                    fields(members, into: &json)
                }
            }
        } else {
            json.object { _ in }
        }
    }

    /// The configuration file's sections and options, never a password or other secret.
    private func configAnswer(_ route: [String]) -> Rendering {
        let names = config.sections.keys.filter { $0 != "passwords" }.sorted()
        func isSecret(_ key: String) -> Bool {
            // Lower-cased as the option lookup is: `API_TOKEN` names the option `api_token`.
            let key = key.lowercased()
            return ["password", "passwd", "secret", "token", "api_key", "apikey"].contains { key.contains($0) }
        }
        func write(_ name: String, into json: inout JSONWriter) {
            json.object { json in
                for entry in config.section(name).entries where !isSecret(entry.key) {
                    json.field(entry.key, entry.value)
                }
            }
        }
        switch route.count {
        case 0:
            return json { json in
                json.object { json in
                    for name in names {
                        json.key(name)
                        write(name, into: &json)
                    }
                }
            }
        case 1:
            guard names.contains(route[0]) else { return notFound(["config"] + route) }
            return json { write(route[0], into: &$0) }
        default:
            guard names.contains(route[0]), !isSecret(route[1]), let value = config.section(route[0])[route[1]] else {
                return notFound(["config"] + route)
            }
            return json { $0.object { $0.field(route[1], value) } }
        }
    }

    // MARK: Helpers

    private func node(of plugin: String) -> JSONNode? {
        generation.plugin(sample, plugin).flatMap { JSONNode.parse($0) }
    }

    private func json(_ body: (inout JSONWriter) -> Void) -> Rendering {
        var writer = JSONWriter()
        body(&writer)
        return Rendering(body: writer.bytes)
    }

    private func notFound(_ route: [String]) -> Rendering {
        Self.error(404, "Not Found", generation: number)
    }

    /// An error in the generation's form: `{"detail": …}` for 4, Bottle's HTML page for 2 and 3.
    static func error(_ status: Int, _ detail: String, generation: Int) -> Rendering {
        if generation >= 4 {
            var writer = JSONWriter()
            writer.object { $0.field("detail", detail) }
            return Rendering(body: writer.bytes, status: status, contentType: "application/json")
        }
        let reason = [400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed"][status] ?? "Error"
        let escaped = detail.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
        let page = """
            <!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">
            <html><head><title>Error: \(status) \(reason)</title></head>
            <body><h1>Error: \(status) \(reason)</h1><pre>\(escaped)</pre></body></html>

            """
        return Rendering(body: Array(page.utf8), status: status, contentType: "text/html; charset=UTF-8")
    }
}

extension String {
    /// The text with every `target` replaced by `replacement` (no Foundation here).
    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        guard !target.isEmpty, contains(target) else { return self }
        var result = ""
        var rest = self[...]
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}
