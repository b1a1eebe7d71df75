import GlancedHTTP
import GlancedServer
import GlancedStats
import GlancedSystem

/// The fuzz test (libFuzzer's `LLVMFuzzerTestOneInput`): route matching and the REST answers.
///
/// The input is a request head in short: byte 0 picks the method (or the bytes up to the first space are one),
/// byte 1 a `Content-Length` and whether an authenticator guards the routes, the rest is the request target
/// (origin or absolute form, query, fragment, percent escapes, anything).
///
/// Over the server's table shape (POST /RPC2, POST /, GET /api/*, GET /metrics, GET /, GET /static/*, as GlancedService builds it, dummy
/// responders), besides not crashing:
/// - `HTTPRoute.Match.matches` agrees with a plain model (exact: the same bytes; prefix: the same bytes, or them
///   and `/`); `HTTPRouteTable.resolve` says 404 exactly when no route takes the path; a route it picks takes the
///   path and names the method, and is the first such in the table's order (exact routes first); HEAD and
///   OPTIONS fall back on GET routes only; 405's `Allow` lists exactly the methods of the routes taking the path
///   (with HEAD and OPTIONS beside GET), each once; HEAD resolves only where GET does;
/// - `HTTPRequestScreen.screen` decides as the resolution says (404, 405 with that `Allow`, 204 preflight, 401
///   before anything but a preflight when guarded, 400/413 by `Content-Length`), keeps the path and query of
///   `split(target:)`, and omits the body only for HEAD;
/// - for `/api/N/…`, `RESTRoutes.answer` over a fixed hand-made sample (lists with keys included) answers 200,
///   400 or 404; a JSON 200 body parses with `JSONNode.parse`, so do generation 4's errors; no answer shows the
///   configuration's password.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRoutes(_ data: UnsafePointer<UInt8>?, _ count: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: count)) } ?? []
    guard bytes.count >= 2 else { return 0 }
    var rest = bytes[2...]
    let method: String
    if Int(bytes[0]) < Harness.methods.count {
        method = Harness.methods[Int(bytes[0])]
    } else {
        let end = rest.firstIndex(of: UInt8(ascii: " ")) ?? rest.endIndex
        method = String(decoding: rest[..<end], as: UTF8.self)
        rest = rest[min(end + 1, rest.endIndex)...]
    }
    let uri = String(decoding: rest, as: UTF8.self)
    let flags = bytes[1]
    let target = HTTPRequestScreen.split(target: uri)
    let path = String(target.path)

    let resolution = Harness.check(method: method, path: path)
    Harness.checkScreen(method: method, uri: uri, path: path, query: target.query, flags: flags, resolution)
    if case .route = resolution, method == "GET", Harness.routes.routes[2].match.matches(path) {
        Harness.checkREST(path: path)
    }
    return 0
}

/// Answers nothing: the fuzz test never calls a responder, only compares routes.
struct Dummy: HTTPResponder {
    func respond(to request: HTTPRequest, reply: @escaping @Sendable (HTTPResponse) -> Void) {}
}

enum Harness {
    static let methods = ["GET", "HEAD", "POST", "OPTIONS", "PUT", "DELETE", "PATCH", "get", "", "CONNECT", "TRACE"]

    /// The shape of glanced's table: XML-RPC, the REST API, Prometheus, the web page and its files.
    static let routes: HTTPRouteTable = [
        HTTPRoute(methods: ["POST"], match: .exact("/RPC2"), responder: Dummy()),
        HTTPRoute(methods: ["POST"], match: .exact("/"), responder: Dummy()),
        HTTPRoute(methods: ["GET"], match: .prefix("/api"), responder: Dummy()),
        HTTPRoute(methods: ["GET"], match: .exact("/metrics"), responder: Dummy()),
        HTTPRoute(methods: ["GET"], match: .exact("/"), responder: Dummy()),
        HTTPRoute(methods: ["GET"], match: .prefix("/static"), responder: Dummy()),
    ]

    /// The plain model of a match, byte for byte.
    static func takes(_ match: HTTPRoute.Match, _ path: String) -> Bool {
        switch match {
        case .exact(let exact): return Array(path.utf8) == Array(exact.utf8)
        case .prefix(let prefix):
            let path = Array(path.utf8)
            var base = Array(prefix.utf8)
            if base.last == UInt8(ascii: "/") { base.removeLast() }
            return path == base && !prefix.hasSuffix("/") || path.starts(with: base + [UInt8(ascii: "/")])
        }
    }

    static func same(_ a: HTTPRoute, _ b: HTTPRoute) -> Bool { a.match == b.match && a.methods == b.methods }

    /// Checks `resolve` against the model; returns the resolution.
    static func check(method: String, path: String) -> HTTPRouteTable.Resolution {
        let order =
            routes.routes.filter { if case .exact = $0.match { true } else { false } }
            + routes.routes.filter { if case .prefix = $0.match { true } else { false } }
        for route in order {
            precondition(
                route.match.matches(path) == takes(route.match, path), "\(route.match) on \(path.debugDescription)")
        }
        let taking = order.filter { takes($0.match, path) }
        let named = Set(taking.flatMap(\.methods))
        let resolution = routes.resolve(method: method, path: path)
        switch resolution {
        case .notFound:
            precondition(taking.isEmpty, "404 for a path a route takes: \(path.debugDescription)")
        case .route(let route):
            guard let first = taking.first(where: { $0.methods.contains(method) }) else {
                preconditionFailure("\(method) routed on \(path.debugDescription), which no route names")
            }
            precondition(same(route, first), "not the first route for \(method) \(path.debugDescription)")
        case .head(let route):
            precondition(method == "HEAD" && !named.contains("HEAD"), "a GET route for \(method)")
            precondition(route.methods.contains("GET") && takes(route.match, path), "HEAD on a route without GET")
            precondition(same(route, taking.first { $0.methods.contains("GET") }!), "HEAD not on the first GET route")
        case .preflight(let allow):
            precondition(method == "OPTIONS" && !named.contains("OPTIONS") && named.contains("GET"), "a preflight")
            checkAllow(allow, named)
        case .methodNotAllowed(let allow):
            precondition(!taking.isEmpty && !named.contains(method), "405 for a method a route names")
            precondition(!(method == "HEAD" && named.contains("GET")), "405 for HEAD where GET is served")
            precondition(!(method == "OPTIONS" && named.contains("GET")), "405 for a preflight")
            checkAllow(allow, named)
        }
        if method == "HEAD" {
            let served: Bool
            switch resolution {
            case .route, .head: served = true
            default: served = false
            }
            var getServed = false
            if case .route = routes.resolve(method: "GET", path: path) { getServed = true }
            precondition(!served || getServed || named.contains("HEAD"), "HEAD resolves where GET does not")
        }
        return resolution
    }

    /// `Allow` lists the methods of the routes taking the path, HEAD and OPTIONS with GET, each once.
    static func checkAllow(_ allow: String, _ named: Set<String>) {
        let listed = allow.split(separator: ", ", omittingEmptySubsequences: false).map(String.init)
        precondition(Set(listed).count == listed.count, "a method twice in Allow: \(allow)")
        var expected = named
        if named.contains("GET") { expected.formUnion(["HEAD", "OPTIONS"]) }
        precondition(Set(listed) == expected, "Allow \(allow) for \(named.sorted())")
    }

    static let guarded = BasicAuthenticator(realm: "glanced", verify: { _, _ in false })

    /// The screen decides as the resolution says.
    static func checkScreen(
        method: String, uri: String, path: String, query: Substring?, flags: UInt8,
        _ resolution: HTTPRouteTable.Resolution
    ) {
        let lengths = ["0", "10", "4096", "4097", "-1", "1e3", " 5", "99999999999999999999999"]
        var headers: [(name: String, value: String)] = [("Host", "x")]
        let length: String? = flags & 8 == 0 ? nil : lengths[Int(flags) % lengths.count]
        if let length { headers.append(("Content-Length", length)) }
        let guardedScreen = flags & 16 != 0
        let screen = HTTPRequestScreen(
            routes: routes, maxBodyBytes: 4096, authenticator: guardedScreen ? guarded : nil)
        let decision = screen.screen(method: method, uri: uri, headers: headers)
        let valid = length.flatMap { text in text.utf8.allSatisfy { $0 >= 48 && $0 <= 57 } ? Int(text) : nil }
        switch (resolution, decision) {
        case (.preflight(let allow), .preflight(let reply)):
            precondition(reply.status == 204 && reply.header("Allow") == allow, "preflight reply")
        case (_, .reject(let reply)) where guardedScreen:
            precondition(reply.status == 401, "guarded: \(reply.status) before authentication")
        case (.notFound, .reject(let reply)):
            precondition(reply.status == 404, "no route, \(reply.status)")
        case (.methodNotAllowed(let allow), .reject(let reply)):
            precondition(reply.status == 405 && reply.header("Allow") == allow, "405 with its Allow")
        case (.route, .reject(let reply)), (.head, .reject(let reply)):
            precondition(length != nil, "\(reply.status) for a routed request without a body")
            precondition(
                (valid == nil && reply.status == 400) || (valid.map { $0 > 4096 } == true && reply.status == 413),
                "\(reply.status) for Content-Length \(length ?? "")")
        case (.route(let route), .readBody(let admission)), (.head(let route), .readBody(let admission)):
            precondition(!guardedScreen, "read past a refusing authenticator")
            precondition(same(route, admission.route), "another route admitted")
            precondition(admission.path == path && admission.query == query.map(String.init), "path or query changed")
            precondition(admission.omitsBody == (method == "HEAD"), "body omitted for \(method)")
            precondition(admission.declaredBodyBytes == (valid ?? 0), "declared length")
        default:
            preconditionFailure("screen and resolution disagree on \(method) \(uri.debugDescription)")
        }
    }

    // MARK: REST

    /// A hand-made sample: plugins with lists keyed by interface, mount point, disk, pid, CPU and label.
    static let sample: Sample = {
        var network = NetworkInterfaceCounters(name: "eth0", receivedBytes: 1000, sentBytes: 2000)
        network.receivedPackets = 10
        let lo = NetworkInterfaceCounters(name: "lo/1 \"x\"", receivedBytes: 5, sentBytes: 5)
        var table = ProcessTable()
        table.interval = 2
        table.processes = [
            ProcessEntry(ProcessReading(pid: 1, name: "systemd", cmdline: "/sbin/init")),
            ProcessEntry(ProcessReading(pid: 42, state: UInt8(ascii: "R"), name: "évil/\"p\"", cmdline: "a\\b\n")),
        ]
        let stats: [(String, any PluginStats)] = [
            ("core", CorePlugin.Stats(physical: 2, logical: 4)),
            (
                "cpu",
                CPUPlugin.Stats(
                    ticks: CPUTicks(), split: CPUPercentages(from: nil, to: CPUTicks()), contextSwitches: 1,
                    interrupts: 2,
                    softInterrupts: 3, contextSwitchesDelta: 4, interruptsDelta: 5, softInterruptsDelta: 6, cores: 4,
                    interval: 1.5)
            ),
            (
                "diskio",
                DiskIOPlugin.Stats(
                    disks: [
                        DiskIOPlugin.Disk(
                            counters: DiskCounters(
                                name: "sda", readCount: 1, writeCount: 2, readBytes: 3, writeBytes: 4),
                            readBytesDelta: 5, writeBytesDelta: 6, readCountDelta: 7, writeCountDelta: 8)
                    ], interval: nil)
            ),
            (
                "fs",
                FsPlugin.Stats(mounts: [
                    MountUsage(
                        mount: MountEntry(device: "/dev/sda1", fsType: "ext4", mountPoint: "/"), size: 100, used: 40,
                        available: 50),
                    MountUsage(
                        mount: MountEntry(device: "tmpfs", fsType: "tmpfs", mountPoint: "/run/a b/"), size: 0,
                        used: 0, available: 0),
                ])
            ),
            ("help", HelpPlugin.Stats()),
            ("load", LoadPlugin.Stats(one: 0.5, five: 1, fifteen: .nan, cores: 4)),
            (
                "network",
                NetworkPlugin.Stats(
                    interfaces: [
                        NetworkPlugin.Interface(counters: network, receivedDelta: 10, sentDelta: 20),
                        NetworkPlugin.Interface(counters: lo, receivedDelta: 0, sentDelta: 0),
                    ], interval: 2)
            ),
            ("now", NowPlugin.Stats(epoch: 1_700_000_000, text: "2023-11-14 22:13:20")),
            (
                "percpu",
                PerCPUPlugin.Stats(cpus: [
                    PerCPUPlugin.CPU(number: 0, ticks: CPUTicks(), split: CPUPercentages(from: nil, to: CPUTicks())),
                    PerCPUPlugin.CPU(number: 1, ticks: CPUTicks(), split: CPUPercentages(from: nil, to: CPUTicks())),
                ])
            ),
            ("processlist", ProcessListPlugin.Stats(table: table)),
            (
                "sensors",
                SensorsPlugin.Stats(
                    readings: [SensorReading(label: "Core 0", value: 45, kind: .temperature)],
                    disks: [HddtempDisk(label: "sda", value: "35")], batteries: [Battery(name: "BAT0", capacity: 80)])
            ),
            (
                "system",
                SystemPlugin.Stats(
                    hostname: "host", platform: "64bit", distribution: "Debian 12", kernelRelease: "6.1")
            ),
            ("uptime", UptimePlugin.Stats(seconds: 90_061)),
        ]
        return Sample(
            names: stats.map(\.0), stats: stats.map(\.1), inGetAll: stats.map { _ in true }, sequence: 7,
            monotonic: 100, epoch: 1_700_000_000)
    }()

    static let password = "s3cr3t-pw"

    static let config: GlancesConfig = {
        let text = "[load]\ncareful=0.7\n[passwords]\nhost1=\(password)\n[outputs]\napi_token=\(password)\nx=1\n"
        guard let config = try? GlancesConfig.parse(text, path: "fuzz.conf") else { preconditionFailure("config") }
        return config
    }()

    /// The generations glanced serves (GlancedService's table), over the fixed sample's plugins.
    static let generations: [Int: GlancesAPI] = [
        2: .glances2REST(plugins: sample.names), 3: .glances(.v3, plugins: sample.names),
        4: .glances(.v4, plugins: sample.names),
    ]

    /// Two history frames of the sample, for the history routes.
    static let history: [HistoryFrame] = {
        let frame = GlancesAPI.historyFrame(sample, generations: Array(generations.values), previous: nil)
        return [frame, frame]
    }()

    /// What RESTResponder answers for `path` (a path the `/api` route takes), from the fixed sample.
    static func checkREST(path: String) {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        guard parts.count >= 3, parts.first == "api", let number = Int(parts[parts.startIndex + 1]),
            let generation = generations[number]
        else { return }  // RESTResponder's own 404
        let route = Array(parts.dropFirst(2)).map { RESTResponder.percentDecoded($0) }
        for (segment, decoded) in zip(parts.dropFirst(2), route) where !segment.contains("%") {
            precondition(decoded == segment, "a segment without % changed")
        }
        let rendering = RESTRoutes(
            generation: generation, sample: sample, config: config, arguments: [("port", "61208")],
            history: { history }, historySize: 3
        ).answer(route)
        precondition([200, 400, 404].contains(rendering.status), "status \(rendering.status) for \(path)")
        let isJSON = rendering.contentType.map { $0.hasPrefix("application/json") } ?? true
        if rendering.status == 200 && isJSON || rendering.status != 200 && number >= 4 {
            precondition(
                JSONNode.parse(rendering.body) != nil,
                "\(path.debugDescription): \(rendering.status) body is not JSON: "
                    + String(decoding: rendering.body.prefix(300), as: UTF8.self))
        }
        // (An error may echo the path: only a password the path does not carry is a leak.)
        precondition(
            route.joined(separator: "/").contains(password)
                || rendering.body.firstRange(of: Array(password.utf8)) == nil,
            "the password shown at \(path)")
    }
}
