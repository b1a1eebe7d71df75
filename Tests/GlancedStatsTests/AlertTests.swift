import Foundation
import GlancedStats
import GlancedSystem
import Testing

@Suite struct AlertTests {
    @Test func anEventOpensAtWarningUpdatesWhileItLastsAndClosesWhenTheValueDrops() throws {
        var log = AlertLog()
        log.record(type: "MEM", level: .careful, value: 55, time: 100)
        #expect(log.events.isEmpty, "careful opens nothing")
        log.record(type: "MEM", level: .warning, value: 75, time: 101)
        log.record(type: "MEM", level: .critical, value: 95, time: 102.7)
        log.record(type: "MEM", level: .warning, value: 71, time: 103)
        log.record(type: "MEM", level: .ok, value: 10, time: 104.9)
        var json = JSONWriter()
        log.write(into: &json)
        #expect(
            String(decoding: json.bytes, as: UTF8.self)
                == #"[[101.0, 104.0, "CRITICAL", "MEM", 95.0, 80.33333333333333, 71.0, 241.0, 3, [], ""]]"#)
    }

    @Test func newestFirstAndAtMostTen() {
        var log = AlertLog()
        for index in 0..<12 {
            log.record(type: "T\(index)", level: .warning, value: 80, time: Double(index))
        }
        #expect(log.events.count == 10)
        #expect(log.events.first?.type == "T11")
        #expect(log.events.last?.type == "T2")
    }

    @Test(arguments: [(49.0, AlertLevel.ok), (50.5, .careful), (70.1, .warning), (90.01, .critical), (70.0, .careful)])
    func levels(value: Double, level: AlertLevel) {
        #expect(AlertThresholds(careful: 50, warning: 70, critical: 90).level(of: value) == level)
    }

    @Test func memAlertOpensUnderTinyThresholdsAndClosesWhenTheyAreRaised() throws {
        func memConfig(_ careful: String, _ warning: String, _ critical: String) -> PluginConfiguration {
            PluginConfiguration(sections: [
                "mem": ConfigSection([
                    .init(key: "careful", value: careful), .init(key: "warning", value: warning),
                    .init(key: "critical", value: critical),
                ])
            ])
        }
        let collector = StatsCollector(configuration: memConfig("0.1", "0.2", "0.3"), plugins: [AlertPlugin.self])
        let opened = try collector.sample().sample.required(AlertPlugin.self).log.events
        let event = try #require(opened.first)
        #expect(event.level == .critical)
        #expect(event.type == "MEM")
        #expect(event.isOngoing)
        #expect(event.count == 1)
        // MEM is the share of RAM in use: far above 0.3 % on any machine that runs these tests.
        #expect(event.max > 0.3 && event.max <= 100 && event.min == event.max && event.sum == event.max)
        #expect(abs(event.start - Date().timeIntervalSince1970) < 60 && event.start == event.start.rounded(.down))
        #expect(opened.count == 1, "only MEM has thresholds")

        collector.reconfigure(memConfig("99.7", "99.8", "99.9"))
        let closed = try collector.sample().sample.required(AlertPlugin.self).log.events
        let same = try #require(closed.first)
        #expect(same.type == "MEM")
        #expect(!same.isOngoing && same.end >= same.start, "closed with an end time")
        #expect(same.count == 1 && same.level == .critical, "the closing value is not recorded")
        #expect(closed.count == 1, "the history is kept across the reload")
    }
}
