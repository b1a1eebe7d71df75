import GlancedStats
import GlancedSystem
import Testing

@Suite struct SensorsPluginTests {
    private func json(_ readings: [SensorReading], _ disks: [HddtempDisk] = [], _ batteries: [Battery] = []) -> String {
        SensorsPlugin.Stats(readings: readings, disks: disks, batteries: batteries).glances2
    }

    @Test func nothingIsAnEmptyList() {
        #expect(json([]) == "[]")
    }

    @Test func mergesInTypeOrder() {
        let readings = [
            SensorReading(label: "fan1", value: 1200, kind: .fan),
            SensorReading(label: "Core 0", value: 45, kind: .temperature),
            SensorReading(label: "fan2", value: 0, kind: .fan),
            SensorReading(label: "Composite", value: 38.85, kind: .temperature),
        ]
        let disks = [HddtempDisk(label: "sda", value: "35"), HddtempDisk(label: "sdb", value: "SLP")]
        let batteries = [Battery(name: "BAT0", capacity: 73), Battery(name: "BAT1", capacity: 53)]
        #expect(
            json(readings, disks, batteries) == """
                [{"label": "Core 0", "value": 45, "type": "temperature_core", "unit": "C"}, \
                {"label": "Composite", "value": 38, "type": "temperature_core", "unit": "C"}, \
                {"label": "fan1", "value": 1200, "type": "fan_speed", "unit": "rpm"}, \
                {"label": "fan2", "value": 0, "type": "fan_speed", "unit": "rpm"}, \
                {"label": "sda", "value": "35", "type": "temperature_hdd", "unit": "C"}, \
                {"label": "sdb", "value": "SLP", "type": "temperature_hdd", "unit": "C"}, \
                {"label": "Battery (%)", "value": 63, "type": "battery", "unit": "%"}]
                """)
    }

    @Test func valuesAreTruncatedLikePythonInt() {
        let readings = [
            SensorReading(label: "a", value: 45.999, kind: .temperature),
            SensorReading(label: "b", value: -7.5, kind: .temperature),
            SensorReading(label: "c", value: .nan, kind: .temperature),
            SensorReading(label: "d", value: .infinity, kind: .fan),
        ]
        #expect(
            json(readings) == """
                [{"label": "a", "value": 45, "type": "temperature_core", "unit": "C"}, \
                {"label": "b", "value": -7, "type": "temperature_core", "unit": "C"}, \
                {"label": "c", "value": 0, "type": "temperature_core", "unit": "C"}, \
                {"label": "d", "value": 0, "type": "fan_speed", "unit": "rpm"}]
                """)
    }

    @Test func labelsAreEscaped() {
        #expect(
            json([SensorReading(label: "CPU \"Tdie\" °", value: 50, kind: .temperature)])
                == #"[{"label": "CPU \"Tdie\" \u00b0", "value": 50, "type": "temperature_core", "unit": "C"}]"#)
    }

    @Test func batteriesOnlyWithoutChipsOrDaemon() {
        #expect(
            json([], [], [Battery(name: "BAT0", capacity: 99)])
                == #"[{"label": "Battery (%)", "value": 99, "type": "battery", "unit": "%"}]"#)
    }
}

/// The real binary with the real libsensors against a fake sysfs, in a private mount namespace.
@Suite(.enabled(if: SensorSysfsFixture.available, "needs root and unshare(1)"))
struct SensorsSysfsTests {
    @Test func conformanceTree() throws {
        let peer = try FakeHddtemp(.reply(FakeHddtemp.conformanceReply))
        defer { peer.stop() }
        let output = try SensorSysfsFixture.dump(
            tree: SensorSysfsFixture.conformanceTree,
            config: SensorSysfsFixture.config(hddtempPort: peer.port),
            ["sensors", "hddtemp", "batpercent", "--samples", "2", "--interval", "1"]
        )
        #expect(output.status == 0, "stderr: \(output.stderr)")
        #expect(
            output.lines == [
                """
                [{"label": "Core 0", "value": 45, "type": "temperature_core", "unit": "C"}, \
                {"label": "fan1", "value": 1200, "type": "fan_speed", "unit": "rpm"}, \
                {"label": "sda", "value": "35", "type": "temperature_hdd", "unit": "C"}, \
                {"label": "sdb", "value": "SLP", "type": "temperature_hdd", "unit": "C"}, \
                {"label": "Battery (%)", "value": 63, "type": "battery", "unit": "%"}]
                """,
                #"[{"label": "sda", "value": "35"}, {"label": "sdb", "value": "SLP"}]"#,
                #"[{"label": "Battery (%)", "value": 63}]"#,
            ])
    }

    /// sensors3.conf labels, computes and ignores apply; unreadable inputs are skipped; values are
    /// read again at every sample (libsensors does not cache them); only batteries count.
    @Test func configurationSkipsAndFreshValues() throws {
        let tree = """
            echo -n >"$work/empty.conf"
            mount --bind "$work/empty.conf" /etc/sensors3.conf
            mount -t tmpfs glanced-test /etc/sensors.d
            printf 'chip "glancedtest-*"\\n  label temp3 "Board"\\n  compute temp3 @*2, @/2\\n  ignore fan3\\n' \
              >/etc/sensors.d/glanced-test.conf
            h=/sys/class/hwmon/hwmon0
            mkdir -p $h
            echo glancedtest >$h/name
            echo 1200 >$h/fan1_input
            echo 0 >$h/fan2_input
            echo 800 >$h/fan3_input
            echo garbage >$h/temp2_input
            echo 80000 >$h/temp4_max
            echo 45500 >$h/temp1_input
            echo CPU >$h/temp1_label
            echo 20250 >$h/temp3_input
            mkdir -p $h/temp5_input
            p=/sys/class/power_supply
            mkdir -p $p/AC $p/BAT0 $p/BAT1 $p/BAT2 $p/BAT3 $p/usb
            echo Mains >$p/AC/type; echo 1 >$p/AC/online
            echo Battery >$p/BAT0/type; echo 73 >$p/BAT0/capacity
            echo Battery >$p/BAT1/type; echo 53 >$p/BAT1/capacity; echo 1 >$p/BAT1/present
            echo Battery >$p/BAT2/type; echo 0 >$p/BAT2/capacity; echo 0 >$p/BAT2/present
            echo Battery >$p/BAT3/type
            echo USB >$p/usb/type; echo 5 >$p/usb/capacity
            (sleep 0.5; echo 50000 >$h/temp1_input) &

            """
        let output = try SensorSysfsFixture.dump(
            tree: tree,
            config: SensorSysfsFixture.config(hddtempPort: try FakeHddtemp.closedPort()),
            ["sensors", "batpercent", "--samples", "2", "--interval", "1.5"]
        )
        #expect(output.status == 0, "stderr: \(output.stderr)")
        #expect(
            output.lines == [
                """
                [{"label": "CPU", "value": 50, "type": "temperature_core", "unit": "C"}, \
                {"label": "Board", "value": 40, "type": "temperature_core", "unit": "C"}, \
                {"label": "fan1", "value": 1200, "type": "fan_speed", "unit": "rpm"}, \
                {"label": "fan2", "value": 0, "type": "fan_speed", "unit": "rpm"}, \
                {"label": "Battery (%)", "value": 63, "type": "battery", "unit": "%"}]
                """,
                #"[{"label": "Battery (%)", "value": 63}]"#,
            ])
    }

    /// When libsensors cannot start (here `/sys` is not sysfs), sensors still lists the disks and the
    /// batteries, and the failure is reported once, not once per sample.
    @Test func libsensorsFailureLeavesTheRest() throws {
        let peer = try FakeHddtemp(.reply(FakeHddtemp.conformanceReply))
        defer { peer.stop() }
        let output = try SensorSysfsFixture.dump(
            tree: SensorSysfsFixture.conformanceTree,
            config: SensorSysfsFixture.config(hddtempPort: peer.port),
            replaceSys: true,
            ["sensors", "batpercent", "--samples", "3", "--interval", "0.5"]
        )
        #expect(output.status == 0, "stderr: \(output.stderr)")
        #expect(
            output.lines == [
                """
                [{"label": "sda", "value": "35", "type": "temperature_hdd", "unit": "C"}, \
                {"label": "sdb", "value": "SLP", "type": "temperature_hdd", "unit": "C"}, \
                {"label": "Battery (%)", "value": 63, "type": "battery", "unit": "%"}]
                """,
                #"[{"label": "Battery (%)", "value": 63}]"#,
            ])
        let reports = output.stderr.split(separator: "\n").filter { $0.contains("libsensors") }
        #expect(reports.count == 1, "stderr: \(output.stderr)")
    }
}
