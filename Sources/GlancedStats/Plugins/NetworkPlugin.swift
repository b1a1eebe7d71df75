package import GlancedSystem

/// `network`: one object per interface of `/proc/net/dev`, with cumulative byte counters and the byte
/// deltas since the previous sample.
///
/// On the first sample the deltas are 0 and `time_since_update` is the int `1`; an interface first seen
/// later also starts at 0. A counter that went backwards (wrap, driver reset) gives a delta of 0.
/// `[network] hide=` regular expressions drop interfaces whose name they fully match.
package struct NetworkPlugin: StatsPlugin {
    package static let name = "network"

    package static var inHistory: Bool { true }

    /// One interface: its counters since boot and their increase since the previous sample.
    package struct Interface: Sendable, Equatable {
        package var counters: NetworkInterfaceCounters
        package var receivedDelta: UInt64
        package var sentDelta: UInt64
        /// What sysfs says of the link (up, speed, MTU, alias); nil when it has no entry for the interface.
        package var link: NetworkLink?

        /// Creates the value.
        package init(
            counters: NetworkInterfaceCounters, receivedDelta: UInt64, sentDelta: UInt64, link: NetworkLink? = nil
        ) {
            self.counters = counters
            self.receivedDelta = receivedDelta
            self.sentDelta = sentDelta
            self.link = link
        }
    }

    /// Every interface not hidden, in `/proc/net/dev` order.
    package struct Stats: PluginStats {
        package var interfaces: [Interface]
        /// Seconds since the previous sample; nil on the first.
        package var interval: Double?

        /// Creates the value.
        package init(interfaces: [Interface], interval: Double?) {
            self.interfaces = interfaces
            self.interval = interval
        }

        package func writeGlances2(into json: inout JSONWriter) {
            json.array { json in
                for interface in interfaces {
                    let counters = interface.counters
                    json.object { json in
                        json.field("interface_name", counters.name)
                        json.field("cumulative_rx", counters.receivedBytes)
                        json.field("cumulative_tx", counters.sentBytes)
                        json.field("cumulative_cx", counters.receivedBytes &+ counters.sentBytes)
                        json.field("rx", interface.receivedDelta)
                        json.field("tx", interface.sentDelta)
                        json.field("cx", interface.receivedDelta &+ interface.sentDelta)
                        json.timeSinceUpdate(interval)
                    }
                }
            }
        }
    }

    package static func reads(_ key: String) -> Bool { key == "hide" }

    package static func validate(_ section: ConfigSection) throws(ConfigProblem) {
        try OptionCheck.patternList(in: section, key: "hide", section: name)
    }

    private var reader = NetworkCountersReader()
    private var links = NetworkLinkReader()
    private let hide: HideList
    private var previous: [String: NetworkInterfaceCounters] = [:]
    private var lastTime: Double?

    package init(configuration: PluginConfiguration) {
        hide = HideList(configuration.section("network")["hide"])
    }

    package mutating func update(_ refresh: Refresh) -> Stats {
        let all = reader.read()
        let interval = lastTime.map { refresh.monotonic - $0 }
        var interfaces: [Interface] = []
        for counters in all where !hide.hides(counters.name) {
            let old = previous[counters.name]
            interfaces.append(
                Interface(
                    counters: counters,
                    receivedDelta: CounterDelta.between(old?.receivedBytes, counters.receivedBytes),
                    sentDelta: CounterDelta.between(old?.sentBytes, counters.sentBytes), link: links.read(counters.name)
                ))
        }
        previous = Dictionary(all.map { ($0.name, $0) }, uniquingKeysWith: { _, last in last })
        lastTime = refresh.monotonic
        return Stats(interfaces: interfaces, interval: interval)
    }
}

extension NetworkPlugin.Stats {
    /// 3.x: the 2.0 keys, `alias`, `is_up`, `speed` (bits per second as psutil's Mbit/s × 1048576) and `key`.
    package func writeGlances3(into json: inout JSONWriter) {
        json.array { json in
            for interface in interfaces {
                let counters = interface.counters
                json.object { json in
                    json.field("interface_name", counters.name)
                    json.field("alias", interface.link?.alias)
                    json.timeSinceUpdate(interval)
                    json.field("cumulative_rx", counters.receivedBytes)
                    json.field("rx", interface.receivedDelta)
                    json.field("cumulative_tx", counters.sentBytes)
                    json.field("tx", interface.sentDelta)
                    json.field("cumulative_cx", counters.receivedBytes &+ counters.sentBytes)
                    json.field("cx", interface.receivedDelta &+ interface.sentDelta)
                    json.key("is_up")
                    json.value(interface.link?.isUp ?? false)
                    json.field("speed", interface.speed)
                    json.listKey("interface_name")
                }
            }
        }
    }

    /// 4.x: `bytes_recv`, `bytes_sent`, `bytes_all` (deltas) with their gauges and rates; no rx/tx.
    package func writeGlances4(into json: inout JSONWriter) {
        json.array { json in
            for interface in interfaces {
                let counters = interface.counters
                json.object { json in
                    json.field("speed", interface.speed)
                    json.listKey("interface_name")
                    json.field("interface_name", counters.name)
                    json.field("alias", interface.link?.alias)
                    json.timeSinceUpdate(interval)
                    json.counterTriple(
                        "bytes_recv", delta: interface.receivedDelta, gauge: counters.receivedBytes, interval: interval)
                    json.counterTriple(
                        "bytes_sent", delta: interface.sentDelta, gauge: counters.sentBytes, interval: interval)
                    json.counterTriple(
                        "bytes_all", delta: interface.receivedDelta &+ interface.sentDelta,
                        gauge: counters.receivedBytes &+ counters.sentBytes, interval: interval)
                }
            }
        }
    }
}

extension NetworkPlugin.Interface {
    /// The link speed as Glances writes it: Mbit/s × 1048576; 0 when unknown; `Int.max` past it (the speed is
    /// read with `Int(…)`, and a speed past 2^43 Mbit/s trapped the v3/v4 renderings: FuzzGlances2JSON).
    package var speed: Int {
        (link?.speedMbps).map {
            let (bytes, overflow) = max(0, $0).multipliedReportingOverflow(by: 1_048_576)
            return overflow ? .max : bytes
        } ?? 0
    }
}
