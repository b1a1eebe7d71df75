import Foundation
import GlancedSystem
import Testing

@Suite struct PowerSuppliesTests {
    /// A fixture tree: `supplies` maps a directory name to its files.
    private func withTree(_ supplies: [String: [String: String]], _ body: (String) throws -> Void) throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("glanced-ps-\(UUID().uuidString)").path
        defer { _ = try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        for (name, files) in supplies {
            try FileManager.default.createDirectory(atPath: root + "/" + name, withIntermediateDirectories: true)
            for (file, text) in files {
                try text.write(toFile: root + "/" + name + "/" + file, atomically: false, encoding: .utf8)
            }
        }
        try body(root)
    }

    @Test func batteriesSortedByName() throws {
        try withTree([
            "BAT1": ["type": "Battery\n", "capacity": "53\n", "present": "1\n"],
            "BAT0": ["type": "Battery\n", "capacity": "73\n"],
            "AC": ["type": "Mains\n", "online": "1\n"],
            "hidpp_battery_0": ["type": "Battery\n", "capacity": "  90 \n"],
            "ucsi-source-psy-USBC000:001": ["type": "USB\n", "capacity": "5\n"],
        ]) { root in
            var supplies = PowerSupplies(root: root)
            #expect(
                supplies.batteries() == [
                    Battery(name: "BAT0", capacity: 73), Battery(name: "BAT1", capacity: 53),
                    Battery(name: "hidpp_battery_0", capacity: 90),
                ])
        }
    }

    /// Firmware that gives no `capacity` file still gives the charge as `energy_now/energy_full` (µWh) or
    /// `charge_now/charge_full` (µAh).
    @Test func withoutCapacityTheChargeComesFromEnergyOrChargeFiles() throws {
        try withTree([
            "BAT0": ["type": "Battery\n", "energy_now": "31500000\n", "energy_full": "42000000\n"],
            "BAT1": ["type": "Battery\n", "charge_now": "1000\n", "charge_full": "3000\n"],
            "BAT2": ["type": "Battery\n", "energy_now": "5\n", "energy_full": "0\n"],
            "BAT3": ["type": "Battery\n", "capacity": "12\n", "energy_now": "1\n", "energy_full": "2\n"],
            "BAT4": ["type": "Battery\n", "charge_now": "5000\n", "charge_full": "4000\n"],
        ]) { root in
            var supplies = PowerSupplies(root: root)
            #expect(
                supplies.batteries() == [
                    Battery(name: "BAT0", capacity: 75), Battery(name: "BAT1", capacity: 33),
                    Battery(name: "BAT3", capacity: 12), Battery(name: "BAT4", capacity: 100),
                ])
        }
    }

    @Test func absentOrUnreadableBatteriesAreSkipped() throws {
        try withTree([
            "BAT0": ["type": "Battery\n", "capacity": "0\n", "present": "0\n"],
            "BAT1": ["type": "Battery\n"],
            "BAT2": ["type": "Battery\n", "capacity": "full\n"],
            "BAT3": ["capacity": "40\n"],
            "BAT4": ["type": "Battery\n", "capacity": "44\n"],
        ]) { root in
            var supplies = PowerSupplies(root: root)
            #expect(supplies.batteries() == [Battery(name: "BAT4", capacity: 44)])
        }
    }

    @Test func valuesAreReadAgainEachTime() throws {
        try withTree(["BAT0": ["type": "Battery\n", "capacity": "73\n"]]) { root in
            var supplies = PowerSupplies(root: root)
            #expect(supplies.batteries() == [Battery(name: "BAT0", capacity: 73)])
            try "12\n".write(toFile: root + "/BAT0/capacity", atomically: false, encoding: .utf8)
            #expect(supplies.batteries() == [Battery(name: "BAT0", capacity: 12)])
        }
    }

    @Test func noDirectoryOrNoBattery() throws {
        var missing = PowerSupplies(root: "/nonexistent/power_supply")
        #expect(missing.batteries() == [])
        try withTree(["AC": ["type": "Mains\n"]]) { root in
            var supplies = PowerSupplies(root: root)
            #expect(supplies.batteries() == [])
        }
    }

    @Test func meanCapacityTruncates() {
        #expect(PowerSupplies.meanCapacity(of: []) == nil)
        #expect(
            PowerSupplies.meanCapacity(of: [Battery(name: "a", capacity: 73), Battery(name: "b", capacity: 53)]) == 63)
        #expect(
            PowerSupplies.meanCapacity(of: [Battery(name: "a", capacity: 99), Battery(name: "b", capacity: 100)]) == 99)
    }

    /// A capacity file may say anything: capacities whose sum passes Int.max trapped (FuzzGlances2JSON's first
    /// finding); their mean is computed without overflow, and energy or charge counters near Int64.max too.
    @Test func hugeCapacitiesDoNotOverflow() throws {
        let huge = [Battery(name: "a", capacity: .max), Battery(name: "b", capacity: .max - 2)]
        #expect(PowerSupplies.meanCapacity(of: huge) == .max - 1)
        let opposite = [Battery(name: "a", capacity: .max), Battery(name: "b", capacity: .min)]
        #expect(PowerSupplies.meanCapacity(of: opposite) == 0)
        try withTree([
            "BAT0": [
                "type": "Battery\n", "energy_now": "9223372036854775807\n", "energy_full": "9223372036854775806\n",
            ]
        ]) { root in
            var supplies = PowerSupplies(root: root)
            #expect(supplies.batteries() == [Battery(name: "BAT0", capacity: 100)])
        }
    }

    @Test func defaultRootIsSysfs() {
        #expect(PowerSupplies().root == "/sys/class/power_supply")
    }
}
