import GlancedSystem
import Testing

/// In-process libsensors on this machine (the fake-sysfs checks run the binary under `unshare`:
/// see `SensorsSysfsTests` in GlancedStatsTests).
@Suite struct SensorChipsTests {
    @Test func initialisesOnceAndReadsConsistently() {
        let first = SensorChips.read()
        let second = SensorChips.read()
        switch (first, second) {
        case (.success(let a), .success(let b)):
            #expect(SensorChips.isInitialised)
            // A second sensors_init would list every chip twice.
            #expect(a.count == b.count)
            #expect(a.map(\.label) == b.map(\.label))
            let kinds = a.map(\.kind)
            #expect(kinds == kinds.sorted { $0 == .temperature && $1 == .fan }, "temperatures first")
        case (.failure(let a), .failure(let b)):
            #expect(a == b, "a failed initialisation is not retried")
            #expect(!SensorChips.isInitialised)
        default:
            Issue.record("libsensors changed state between two reads: \(first) then \(second)")
        }
    }
}
