import GlancedStats
import GlancedSystem
import Testing

@Suite struct BatPercentPluginTests {
    private func json(_ batteries: [Battery]) -> String {
        BatPercentPlugin.Stats(batteries: batteries).glances2
    }

    @Test func noBatteryIsAnEmptyList() {
        #expect(json([]) == "[]")
    }

    @Test func meanOfEveryBattery() {
        #expect(
            json([Battery(name: "BAT0", capacity: 73), Battery(name: "BAT1", capacity: 53)])
                == #"[{"label": "Battery (%)", "value": 63}]"#)
        #expect(json([Battery(name: "BAT0", capacity: 100)]) == #"[{"label": "Battery (%)", "value": 100}]"#)
    }

    @Test func meanIsTruncatedAsGlancesIntOfTheMean() {
        #expect(
            json([Battery(name: "BAT0", capacity: 50), Battery(name: "BAT1", capacity: 51)])
                == #"[{"label": "Battery (%)", "value": 50}]"#)
        #expect(
            json([Battery(name: "A", capacity: 1), Battery(name: "B", capacity: 1), Battery(name: "C", capacity: 0)])
                == #"[{"label": "Battery (%)", "value": 0}]"#)
    }

    @Test func pluginReadsThisMachinesPowerSupplies() throws {
        var supplies = PowerSupplies()
        let expected = supplies.batteries()
        var plugin = BatPercentPlugin(configuration: PluginConfiguration())
        #expect(plugin.update(Refresh(store: SourceStore(configuration: PluginConfiguration()))).batteries == expected)
    }
}
