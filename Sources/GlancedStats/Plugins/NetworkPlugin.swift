import GlancedSystem

/// `network`: one object per interface of `/proc/net/dev`, with cumulative byte counters and the byte
/// deltas since the previous sample.
///
/// On the first sample the deltas are 0 and `time_since_update` is the int `1`; an interface first seen
/// later also starts at 0. A counter that went backwards (wrap, driver reset) gives a delta of 0.
/// `[network] hide=` regular expressions drop interfaces whose name they fully match.
package struct NetworkPlugin: StatsPlugin {
    package static let name = "network"

    private var reader = NetworkCountersReader()
    private let hide: HideList
    private var previous: [String: NetworkInterfaceCounters] = [:]
    private var lastTime: Double?

    package init(configuration: PluginConfiguration) {
        hide = HideList(configuration.section("network")["hide"])
    }

    package mutating func update(_ refresh: Refresh, into json: inout JSONWriter) {
        let interfaces = reader.read()
        let interval = lastTime.map { refresh.monotonic - $0 }
        let before = previous
        json.array { json in
            for interface in interfaces where !hide.hides(interface.name) {
                let old = before[interface.name]
                let rx = CounterDelta.between(old?.receivedBytes, interface.receivedBytes)
                let tx = CounterDelta.between(old?.sentBytes, interface.sentBytes)
                json.object { json in
                    json.field("interface_name", interface.name)
                    json.field("cumulative_rx", interface.receivedBytes)
                    json.field("cumulative_tx", interface.sentBytes)
                    json.field("cumulative_cx", interface.receivedBytes &+ interface.sentBytes)
                    json.field("rx", rx)
                    json.field("tx", tx)
                    json.field("cx", rx &+ tx)
                    json.key("time_since_update")
                    if let interval { json.value(interval) } else { json.value(1) }
                }
            }
        }
        previous = Dictionary(interfaces.map { ($0.name, $0) }, uniquingKeysWith: { _, last in last })
        lastTime = refresh.monotonic
    }
}
