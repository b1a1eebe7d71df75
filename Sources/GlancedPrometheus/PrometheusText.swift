package import GlancedStats
package import GlancedSystem

/// The `/metrics` renderer: a ``Sample`` as Prometheus' text format 0.0.4, with node_exporter's names, types,
/// labels and units for what node_exporter also measures, process-exporter's `namedprocess_namegroup_*` for the
/// `[monitor]` groups, `glanced_*` for the rest, and the standard `process_*` of glanced itself.
///
/// A pure function of the sample: rendered once per sample and shared by every scrape.
package enum PrometheusText {
    /// The HTTP content type of the rendering.
    package static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// What the rendering says of glanced itself.
    package struct Options: Sendable {
        /// `glanced_build_info{version}`.
        package var version: String

        /// Creates the options.
        package init(version: String) {
            self.version = version
        }
    }

    /// The exposition of `sample`.
    package static func render(_ sample: Sample, options: Options) -> [UInt8] {
        var out = ExpositionWriter()
        let node = sample.stats(of: NodePlugin.self) ?? NodePlugin.Stats()
        let hz = node.ticksPerSecond > 0 ? node.ticksPerSecond : 100
        var collectors: [(name: String, seconds: Double?, success: Bool)] = []

        if let percpu = sample.stats(of: PerCPUPlugin.self) {
            cpu(percpu, hz: hz, into: &out)
            collectors.append(("cpu", nil, !percpu.cpus.isEmpty))
        }
        if let load = sample.stats(of: LoadPlugin.self) {
            out.family("node_load1", .gauge, help: "1m load average.")
            out.sample("node_load1", load.one)
            out.family("node_load5", .gauge, help: "5m load average.")
            out.sample("node_load5", load.five)
            out.family("node_load15", .gauge, help: "15m load average.")
            out.sample("node_load15", load.fifteen)
            collectors.append(("loadavg", nil, true))
        }
        memory(node, into: &out)
        for figure in node.vmstat {
            let name = "node_vmstat_" + figure.key
            out.family(name, .untyped, help: "/proc/vmstat information field " + figure.key + ".")
            out.sample(name, figure.value)
        }
        if let cpu = sample.stats(of: CPUPlugin.self) {
            stat(cpu, node, into: &out)
            collectors.append(("stat", nil, node.bootTime > 0))
        }
        out.family("node_time_seconds", .gauge, help: "System time in seconds since epoch (1970).")
        out.sample("node_time_seconds", sample.epoch)
        collectors.append(("time", nil, true))
        filesystems(node.filesystems, into: &out)
        if let diskio = sample.stats(of: DiskIOPlugin.self) {
            disks(diskio, into: &out)
            collectors.append(("diskstats", nil, true))
        }
        if let network = sample.stats(of: NetworkPlugin.self) {
            self.network(network, extras: node.networkExtras, into: &out)
            collectors.append(("netdev", nil, true))
            collectors.append(("netclass", nil, true))
        }
        hwmon(node.hwmon, into: &out)
        powerSupplies(node.powerSupplies, into: &out)
        host(node, into: &out)
        collectors.append(("uname", nil, !node.uname.isEmpty))
        collectors.append(("os", nil, !node.osRelease.isEmpty))
        if let processes = sample.stats(of: ProcessCountPlugin.self) {
            self.processes(processes, node, into: &out)
        }
        kernel(node, into: &out)

        let prometheus = sample.stats(of: PrometheusPlugin.self) ?? PrometheusPlugin.Stats()
        groups(prometheus.groups, into: &out)
        top(prometheus.top, into: &out)
        glances(sample, prometheus, into: &out)
        selfProcess(node.selfProcess, hz: hz, options: options, into: &out)

        var textfileSuccess = true
        if let directory = prometheus.textfileDirectory {
            textfileSuccess = Textfiles.write(
                prometheus.textfiles, directoryError: prometheus.textfileDirectoryError, directory: directory,
                into: &out)
            collectors.append(("textfile", nil, textfileSuccess))
        }

        out.family(
            "node_scrape_collector_duration_seconds", .gauge,
            help: "node_exporter: Duration of a collector scrape (the kernel reads of the sample).")
        for collector in node.collectors {
            out.sample("node_scrape_collector_duration_seconds", ["collector": collector.name], collector.seconds)
        }
        out.family(
            "node_scrape_collector_success", .gauge, help: "node_exporter: Whether a collector succeeded.")
        for collector in node.collectors {
            out.sample("node_scrape_collector_success", ["collector": collector.name], collector.success ? 1 : 0)
        }
        for collector in collectors {
            out.sample("node_scrape_collector_success", ["collector": collector.name], collector.success ? 1 : 0)
        }
        return out.bytes
    }

    // MARK: CPU, memory, /proc/stat

    private static func cpu(_ percpu: PerCPUPlugin.Stats, hz: Double, into out: inout ExpositionWriter) {
        out.family("node_cpu_seconds_total", .counter, help: "Seconds the CPUs spent in each mode.")
        for cpu in percpu.cpus {
            let number = String(cpu.number)
            let ticks = cpu.ticks
            let modes: KeyValuePairs<String, UInt64> = [
                "idle": ticks.idle, "iowait": ticks.iowait, "irq": ticks.irq, "nice": ticks.nice,
                "softirq": ticks.softirq, "steal": ticks.steal, "system": ticks.system, "user": ticks.user,
            ]
            for (mode, value) in modes {
                out.sample("node_cpu_seconds_total", ["cpu": number, "mode": mode], Double(value) / hz)
            }
        }
        out.family(
            "node_cpu_guest_seconds_total", .counter,
            help: "Seconds the CPUs spent in guests (VMs) for each mode.")
        for cpu in percpu.cpus {
            let number = String(cpu.number)
            out.sample(
                "node_cpu_guest_seconds_total", ["cpu": number, "mode": "nice"], Double(cpu.ticks.guestNice) / hz)
            out.sample("node_cpu_guest_seconds_total", ["cpu": number, "mode": "user"], Double(cpu.ticks.guest) / hz)
        }
    }

    /// node_exporter's name of a `/proc/meminfo` key: `Active(anon)` → `Active_anon`, `_bytes` for `kB` lines.
    package static func meminfoName(_ figure: KernelFigure) -> String {
        var key = ""
        for character in figure.key {
            if character == "(" {
                key.append("_")
            } else if character != ")" {
                key.append(character)
            }
        }
        return "node_memory_" + key + (figure.kibibytes ? "_bytes" : "")
    }

    private static func memory(_ node: NodePlugin.Stats, into out: inout ExpositionWriter) {
        for figure in node.meminfo {
            let name = meminfoName(figure)
            out.family(name, .gauge, help: "Memory information field " + figure.key + ".")
            out.sample(name, figure.kibibytes ? figure.value &* 1024 : figure.value)
        }
    }

    private static func stat(_ cpu: CPUPlugin.Stats, _ node: NodePlugin.Stats, into out: inout ExpositionWriter) {
        out.family("node_boot_time_seconds", .gauge, help: "Node boot time, in unixtime.")
        out.sample("node_boot_time_seconds", node.bootTime)
        out.family("node_context_switches_total", .counter, help: "Total number of context switches.")
        out.sample("node_context_switches_total", cpu.contextSwitches)
        out.family("node_forks_total", .counter, help: "Total number of forks.")
        out.sample("node_forks_total", node.forks)
        out.family("node_intr_total", .counter, help: "Total number of interrupts serviced.")
        out.sample("node_intr_total", cpu.interrupts)
        out.family("node_procs_running", .gauge, help: "Number of processes in runnable state.")
        out.sample("node_procs_running", node.running)
        out.family("node_procs_blocked", .gauge, help: "Number of processes blocked waiting for I/O to complete.")
        out.sample("node_procs_blocked", node.blocked)
    }

    // MARK: Filesystems, disks, network

    private static func filesystems(_ mounts: [FilesystemReading], into out: inout ExpositionWriter) {
        typealias Field = (name: String, help: String, value: (FilesystemReading) -> UInt64)
        let fields: [Field] = [
            ("node_filesystem_size_bytes", "Filesystem size in bytes.", { $0.size }),
            ("node_filesystem_free_bytes", "Filesystem free space in bytes.", { $0.free }),
            ("node_filesystem_avail_bytes", "Filesystem space available to non-root users in bytes.", { $0.available }),
            ("node_filesystem_files", "Filesystem total file nodes.", { $0.files }),
            ("node_filesystem_files_free", "Filesystem total free file nodes.", { $0.filesFree }),
        ]
        for field in fields {
            out.family(field.name, .gauge, help: field.help)
            for mount in mounts where !mount.deviceError {
                out.sample(field.name, labels(mount), field.value(mount))
            }
        }
        out.family("node_filesystem_readonly", .gauge, help: "Filesystem read-only status.")
        for mount in mounts {
            out.sample("node_filesystem_readonly", labels(mount), mount.readOnly ? 1 : 0)
        }
        out.family(
            "node_filesystem_device_error", .gauge,
            help: "Whether an error occurred while getting statistics for the given device.")
        for mount in mounts {
            out.sample("node_filesystem_device_error", labels(mount), mount.deviceError ? 1 : 0)
        }
        func labels(_ mount: FilesystemReading) -> KeyValuePairs<String, String> {
            ["device": mount.device, "fstype": mount.fsType, "mountpoint": mount.mountPoint]
        }
    }

    /// Whether node_exporter's default `^(z?ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\d+n\d+p)\d+$` excludes `device`.
    package static func excludesDisk(_ device: String) -> Bool {
        var name = Substring(device)
        let digits = name.reversed().prefix { $0.isASCII && $0.isNumber }.count
        guard digits > 0 else { return false }
        name = name.dropLast(digits)
        if ["ram", "zram", "loop", "fd"].contains(name) { return true }
        for prefix in ["hd", "sd", "vd", "xvd"] where name.hasPrefix(prefix) {
            let rest = name.dropFirst(prefix.count)
            if rest.count == 1, let letter = rest.first, letter.isASCII, letter.isLowercase { return true }
        }
        if name.hasPrefix("nvme"), name.hasSuffix("p") {
            let middle = name.dropFirst(4).dropLast()
            let parts = middle.split(separator: "n", omittingEmptySubsequences: false)
            return parts.count == 2 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }
        }
        return false
    }

    private static func disks(_ diskio: DiskIOPlugin.Stats, into out: inout ExpositionWriter) {
        let disks = diskio.disks.map(\.counters).filter { !excludesDisk($0.name) }
        typealias Field = (name: String, help: String, columns: Int, value: (DiskCounters) -> Double)
        let ms = 0.001
        let fields: [Field] = [
            (
                "node_disk_reads_completed_total", "The total number of reads completed successfully.", 1,
                { Double($0.readCount) }
            ),
            ("node_disk_reads_merged_total", "The total number of reads merged.", 2, { Double($0.readsMerged) }),
            ("node_disk_read_bytes_total", "The total number of bytes read successfully.", 3, { Double($0.readBytes) }),
            (
                "node_disk_read_time_seconds_total", "The total number of seconds spent by all reads.", 4,
                { Double($0.readTimeMs) * ms }
            ),
            (
                "node_disk_writes_completed_total", "The total number of writes completed successfully.", 5,
                { Double($0.writeCount) }
            ),
            ("node_disk_writes_merged_total", "The number of writes merged.", 6, { Double($0.writesMerged) }),
            (
                "node_disk_written_bytes_total", "The total number of bytes written successfully.", 7,
                { Double($0.writeBytes) }
            ),
            (
                "node_disk_write_time_seconds_total", "This is the total number of seconds spent by all writes.", 8,
                { Double($0.writeTimeMs) * ms }
            ),
            ("node_disk_io_time_seconds_total", "Total seconds spent doing I/Os.", 10, { Double($0.ioTimeMs) * ms }),
            (
                "node_disk_io_time_weighted_seconds_total", "The weighted # of seconds spent doing I/Os.", 11,
                { Double($0.weightedIoTimeMs) * ms }
            ),
            (
                "node_disk_discards_completed_total", "The total number of discards completed successfully.", 12,
                { Double($0.discards) }
            ),
            (
                "node_disk_discards_merged_total", "The total number of discards merged.", 13,
                { Double($0.discardsMerged) }
            ),
            (
                "node_disk_discarded_sectors_total", "The total number of sectors discarded successfully.", 14,
                { Double($0.discardedBytes / 512) }
            ),
            (
                "node_disk_discard_time_seconds_total", "This is the total number of seconds spent by all discards.",
                15, { Double($0.discardTimeMs) * ms }
            ),
            (
                "node_disk_flush_requests_total", "The total number of flush requests completed successfully", 16,
                { Double($0.flushes) }
            ),
            (
                "node_disk_flush_requests_time_seconds_total",
                "This is the total number of seconds spent by all flush requests.", 17, { Double($0.flushTimeMs) * ms }
            ),
        ]
        for field in fields {
            out.family(field.name, .counter, help: field.help)
            for disk in disks where disk.columns >= field.columns {
                out.sample(field.name, ["device": disk.name], field.value(disk))
            }
        }
        out.family("node_disk_io_now", .gauge, help: "The number of I/Os currently in progress.")
        for disk in disks {
            out.sample("node_disk_io_now", ["device": disk.name], disk.ioInProgress)
        }
    }

    private static func network(
        _ network: NetworkPlugin.Stats, extras: [(device: String, noHandler: UInt64?, speed: Int64?)],
        into out: inout ExpositionWriter
    ) {
        typealias Field = (name: String, value: (NetworkInterfaceCounters) -> UInt64)
        let fields: [Field] = [
            ("receive_bytes", { $0.receivedBytes }), ("receive_packets", { $0.receivedPackets }),
            ("receive_errs", { $0.receiveErrors }), ("receive_drop", { $0.receiveDrops }),
            ("receive_fifo", { $0.receiveFifo }), ("receive_frame", { $0.receiveFrame }),
            ("receive_compressed", { $0.receivedCompressed }), ("receive_multicast", { $0.receivedMulticast }),
            ("transmit_bytes", { $0.sentBytes }), ("transmit_packets", { $0.sentPackets }),
            ("transmit_errs", { $0.sendErrors }), ("transmit_drop", { $0.sendDrops }),
            ("transmit_fifo", { $0.sendFifo }), ("transmit_colls", { $0.collisions }),
            ("transmit_carrier", { $0.carrierErrors }), ("transmit_compressed", { $0.sentCompressed }),
        ]
        for field in fields {
            let name = "node_network_" + field.name + "_total"
            out.family(name, .counter, help: "Network device statistic " + field.name + ".")
            for interface in network.interfaces {
                out.sample(name, ["device": interface.counters.name], field.value(interface.counters))
            }
        }
        let shown = Set(network.interfaces.map(\.counters.name))
        out.family(
            "node_network_receive_nohandler_total", .counter, help: "Network device statistic receive_nohandler.")
        for entry in extras where shown.contains(entry.device) {
            if let count = entry.noHandler {
                out.sample("node_network_receive_nohandler_total", ["device": entry.device], count)
            }
        }
        let links = network.interfaces.compactMap { interface in interface.link.map { (interface.counters.name, $0) } }
        out.family("node_network_up", .gauge, help: "Value is 1 if operstate is 'up', 0 otherwise.")
        for (device, link) in links {
            out.sample("node_network_up", ["device": device], link.operState == "up" ? 1 : 0)
        }
        // As node_exporter 1.5.0 (Debian 12's) writes it: the speed file × 125000, also when it says -1.
        out.family("node_network_speed_bytes", .gauge, help: "Network device property: speed_bytes")
        let up = Set(links.map(\.0))
        for entry in extras where up.contains(entry.device) {
            if let speed = entry.speed {
                out.sample("node_network_speed_bytes", ["device": entry.device], Double(speed) * 125_000)
            }
        }
        out.family("node_network_mtu_bytes", .gauge, help: "Network device property: mtu_bytes")
        for (device, link) in links {
            if let mtu = link.mtu { out.sample("node_network_mtu_bytes", ["device": device], mtu) }
        }
        out.family("node_network_carrier", .gauge, help: "Network device property: carrier")
        for (device, link) in links {
            if let carrier = link.carrier { out.sample("node_network_carrier", ["device": device], carrier ? 1 : 0) }
        }
        out.family(
            "node_network_info", .gauge,
            help: "Non-numeric data from /sys/class/net/<iface>, value is always 1.")
        for (device, link) in links {
            out.sample(
                "node_network_info",
                [
                    "address": link.address ?? "", "device": device, "duplex": link.duplex ?? "",
                    "ifalias": link.alias ?? "", "operstate": link.operState,
                ], 1)
        }
    }

    // MARK: hwmon, power supplies

    private static func hwmon(_ hwmon: HwmonReadings, into out: inout ExpositionWriter) {
        var order: [String] = []
        var byName: [String: [HwmonValue]] = [:]
        for value in hwmon.values {
            let name = hwmonMetric(value)
            if byName[name] == nil { order.append(name) }
            byName[name, default: []].append(value)
        }
        for name in order {
            out.family(name, .gauge, help: "Hardware monitor " + name.dropFirst("node_hwmon_".count) + ".")
            for value in byName[name] ?? [] {
                out.sample(name, ["chip": value.chip, "sensor": value.sensor], hwmonValue(value))
            }
        }
        out.family("node_hwmon_chip_names", .gauge, help: "Annotation metric for human-readable chip names")
        for chip in hwmon.chipNames {
            out.sample("node_hwmon_chip_names", ["chip": chip.chip, "chip_name": chip.name], 1)
        }
        out.family("node_hwmon_sensor_label", .gauge, help: "Label for given chip and sensor")
        for label in hwmon.labels {
            out.sample(
                "node_hwmon_sensor_label", ["chip": label.chip, "label": label.label, "sensor": label.sensor], 1)
        }
    }

    private static func hwmonUnit(_ type: String) -> (unit: String, scale: Double) {
        switch type {
        case "temp": ("celsius", 0.001)
        case "fan": ("rpm", 1)
        case "in": ("volts", 0.001)
        case "curr": ("amps", 0.001)
        default: ("watt", 0.000_001)
        }
    }

    /// node_exporter's name for a hwmon attribute: `temp1_input` → `node_hwmon_temp_celsius`,
    /// `temp1_crit_alarm` → `node_hwmon_temp_crit_alarm_celsius`, `fan1_min` → `node_hwmon_fan_min_rpm`.
    package static func hwmonMetric(_ value: HwmonValue) -> String {
        let unit = hwmonUnit(value.type).unit
        let attribute = value.attribute == "input" ? "" : "_" + ExpositionWriter.labelName(value.attribute)
        return "node_hwmon_" + value.type + attribute + "_" + unit
    }

    private static func hwmonValue(_ value: HwmonValue) -> Double {
        if value.attribute.hasSuffix("alarm") || value.attribute == "fault" || value.attribute == "enable" {
            return Double(value.raw)
        }
        return Double(value.raw) * hwmonUnit(value.type).scale
    }

    private static func powerSupplies(_ supplies: [PowerSupplyReading], into out: inout ExpositionWriter) {
        let metrics: [(key: String, name: String, scale: Double)] = [
            ("online", "online", 1), ("capacity", "capacity", 1), ("present", "present", 1),
            ("cycle_count", "cyclecount", 1), ("energy_now", "energy_watthour", 1e-6),
            ("energy_full", "energy_full", 1e-6), ("energy_full_design", "energy_full_design", 1e-6),
            ("power_now", "power_watt", 1e-6), ("voltage_now", "voltage_volt", 1e-6),
            ("current_now", "current_ampere", 1e-6), ("charge_now", "charge_ampere", 1e-6),
            ("charge_full", "charge_full", 1e-6), ("charge_full_design", "charge_full_design", 1e-6),
            ("temp", "temp_celsius", 0.1), ("time_to_empty_now", "time_to_empty_seconds", 1),
            ("time_to_full_now", "time_to_full_seconds", 1),
        ]
        for metric in metrics {
            let values = supplies.compactMap { supply in
                supply.numbers.first { $0.key == metric.key }.map { (supply.name, Double($0.value) * metric.scale) }
            }
            guard !values.isEmpty else { continue }
            let name = "node_power_supply_" + metric.name
            out.family(name, .gauge, help: metric.key + " value of /sys/class/power_supply/<power_supply>.")
            for (supply, value) in values { out.sample(name, ["power_supply": supply], value) }
        }
        out.family(
            "node_power_supply_info", .gauge, help: "info of /sys/class/power_supply/<power_supply>.")
        for supply in supplies {
            let labels = [("power_supply", supply.name)] + supply.texts.map { ($0.key, $0.value) }
            out.sample("node_power_supply_info", labels: labels, 1)
        }
    }

    // MARK: Host, processes, kernel files

    private static func host(_ node: NodePlugin.Stats, into out: inout ExpositionWriter) {
        out.family("node_uname_info", .gauge, help: "Labeled system information as provided by the uname system call.")
        if !node.uname.isEmpty { out.sample("node_uname_info", labels: node.uname, 1) }
        let os = node.osRelease
        let keys = [
            "build_id", "id", "id_like", "image_id", "image_version", "name", "pretty_name", "variant", "variant_id",
            "version", "version_codename", "version_id",
        ]
        out.family(
            "node_os_info", .gauge,
            help:
                "A metric with a constant '1' value labeled by build_id, id, id_like, image_id, image_version, name, pretty_name, variant, variant_id, version, version_codename, version_id."
        )
        if !os.isEmpty { out.sample("node_os_info", labels: keys.map { ($0, os[$0.uppercased()] ?? "") }, 1) }
        out.family("node_os_version", .gauge, help: "Metric containing the major.minor part of the OS version.")
        if !os.isEmpty {
            let parts = (os["VERSION_ID"] ?? "").split(separator: ".").prefix(2).joined(separator: ".")
            out.sample(
                "node_os_version",
                labels: [("id", os["ID"] ?? ""), ("id_like", os["ID_LIKE"] ?? ""), ("name", os["NAME"] ?? "")],
                Double(parts) ?? 0)
        }
    }

    private static func processes(
        _ processes: ProcessCountPlugin.Stats, _ node: NodePlugin.Stats, into out: inout ExpositionWriter
    ) {
        out.family("node_processes_pids", .gauge, help: "Number of PIDs")
        out.sample("node_processes_pids", processes.states.total)
        out.family("node_processes_threads", .gauge, help: "Allocated threads in system")
        out.sample("node_processes_threads", processes.threads)
        out.family("node_processes_state", .gauge, help: "Number of processes in each state.")
        var seen = Set<UInt8>()
        for letter in "DIKPRSTWXZtx".utf8 where seen.insert(letter).inserted {
            let count = processes.states[ProcessState(kernelLetter: letter)]
            if count > 0 { out.sample("node_processes_state", ["state": String(UnicodeScalar(letter))], count) }
        }
        out.family("node_processes_max_processes", .gauge, help: "Number of max PIDs limit")
        if let value = node.maxProcesses { out.sample("node_processes_max_processes", value) }
        out.family("node_processes_max_threads", .gauge, help: "Limit of threads in the system")
        if let value = node.maxThreads { out.sample("node_processes_max_threads", value) }
    }

    private static func kernel(_ node: NodePlugin.Stats, into out: inout ExpositionWriter) {
        if let files = node.fileHandles {
            out.family("node_filefd_allocated", .gauge, help: "File descriptor statistics: allocated.")
            out.sample("node_filefd_allocated", files.allocated)
            out.family("node_filefd_maximum", .gauge, help: "File descriptor statistics: maximum.")
            out.sample("node_filefd_maximum", files.maximum)
        }
        for pressure in node.pressure {
            let seconds = { (value: UInt64) in Double(value) / 1e6 }
            switch pressure.resource {
            case "cpu":
                if let some = pressure.some {
                    out.family(
                        "node_pressure_cpu_waiting_seconds_total", .counter,
                        help: "Total time in seconds that processes have waited for CPU time")
                    out.sample("node_pressure_cpu_waiting_seconds_total", seconds(some))
                }
            case "irq":
                if let full = pressure.full {
                    out.family(
                        "node_pressure_irq_stalled_seconds_total", .counter,
                        help: "Total time in seconds no process could make progress due to IRQ congestion")
                    out.sample("node_pressure_irq_stalled_seconds_total", seconds(full))
                }
            default:
                let resource = pressure.resource
                if let some = pressure.some {
                    let name = "node_pressure_" + resource + "_waiting_seconds_total"
                    out.family(name, .counter, help: "Total time in seconds that processes have waited for " + resource)
                    out.sample(name, seconds(some))
                }
                if let full = pressure.full {
                    let name = "node_pressure_" + resource + "_stalled_seconds_total"
                    out.family(
                        name, .counter,
                        help: "Total time in seconds no process could make progress due to " + resource + " congestion")
                    out.sample(name, seconds(full))
                }
            }
        }
        if let entropy = node.entropy {
            out.family("node_entropy_available_bits", .gauge, help: "Bits of available entropy.")
            out.sample("node_entropy_available_bits", entropy.available)
            if let pool = entropy.poolSize {
                out.family("node_entropy_pool_size_bits", .gauge, help: "Bits of entropy pool.")
                out.sample("node_entropy_pool_size_bits", pool)
            }
        }
        if let arp = node.arp {
            out.family("node_arp_entries", .gauge, help: "ARP entries by device")
            for entry in arp { out.sample("node_arp_entries", ["device": entry.device], entry.count) }
        }
        if let conntrack = node.conntrack {
            out.family(
                "node_nf_conntrack_entries", .gauge,
                help: "Number of currently allocated flow entries for connection tracking.")
            out.sample("node_nf_conntrack_entries", conntrack.entries)
            out.family("node_nf_conntrack_entries_limit", .gauge, help: "Maximum size of connection tracking table.")
            out.sample("node_nf_conntrack_entries_limit", conntrack.limit)
        }
        if !node.interrupts.isEmpty {
            out.family("node_interrupts_total", .counter, help: "Interrupt details.")
            for row in node.interrupts {
                for (cpu, count) in row.counts.enumerated() {
                    out.sample(
                        "node_interrupts_total",
                        ["cpu": String(cpu), "devices": row.devices, "info": row.info, "type": row.name], count)
                }
            }
        }
        if !node.schedstat.isEmpty {
            out.family(
                "node_schedstat_running_seconds_total", .counter, help: "Number of seconds CPU spent running a process."
            )
            for cpu in node.schedstat {
                out.sample(
                    "node_schedstat_running_seconds_total", ["cpu": String(cpu.cpu)],
                    Double(cpu.runningNanoseconds) / 1e9)
            }
            out.family(
                "node_schedstat_waiting_seconds_total", .counter,
                help: "Number of seconds spent by processing waiting for this CPU.")
            for cpu in node.schedstat {
                out.sample(
                    "node_schedstat_waiting_seconds_total", ["cpu": String(cpu.cpu)],
                    Double(cpu.waitingNanoseconds) / 1e9)
            }
            out.family("node_schedstat_timeslices_total", .counter, help: "Number of timeslices executed by CPU.")
            for cpu in node.schedstat {
                out.sample("node_schedstat_timeslices_total", ["cpu": String(cpu.cpu)], cpu.timeslices)
            }
        }
        let frequencies: [(String, String, KeyPath<CPUFrequency, UInt64?>)] = [
            ("node_cpu_scaling_frequency_hertz", "Current scaled CPU thread frequency in hertz.", \.current),
            ("node_cpu_scaling_frequency_min_hertz", "Minimum scaled CPU thread frequency in hertz.", \.minimum),
            ("node_cpu_scaling_frequency_max_hertz", "Maximum scaled CPU thread frequency in hertz.", \.maximum),
        ]
        for (name, help, path) in frequencies where node.frequencies.contains(where: { $0[keyPath: path] != nil }) {
            out.family(name, .gauge, help: help)
            for cpu in node.frequencies {
                if let khz = cpu[keyPath: path] { out.sample(name, ["cpu": String(cpu.cpu)], khz &* 1000) }
            }
        }
        if !node.cooling.isEmpty {
            out.family("node_cooling_device_cur_state", .gauge, help: "Current throttle state of the cooling device")
            for device in node.cooling {
                out.sample("node_cooling_device_cur_state", ["name": device.name, "type": device.type], device.current)
            }
            out.family("node_cooling_device_max_state", .gauge, help: "Maximum throttle state of the cooling device")
            for device in node.cooling {
                out.sample("node_cooling_device_max_state", ["name": device.name, "type": device.type], device.maximum)
            }
        }
    }

    // MARK: glanced's own families

    private static func groups(_ groups: [PrometheusPlugin.Group], into out: inout ExpositionWriter) {
        guard !groups.isEmpty else { return }
        out.family("namedprocess_namegroup_num_procs", .gauge, help: "number of processes in this group")
        for group in groups {
            out.sample("namedprocess_namegroup_num_procs", ["groupname": group.name], group.processes)
        }
        out.family("namedprocess_namegroup_cpu_seconds_total", .counter, help: "Cpu user usage in seconds")
        for group in groups {
            out.sample(
                "namedprocess_namegroup_cpu_seconds_total", ["groupname": group.name, "mode": "system"],
                group.systemSeconds)
            out.sample(
                "namedprocess_namegroup_cpu_seconds_total", ["groupname": group.name, "mode": "user"], group.userSeconds
            )
        }
        out.family("namedprocess_namegroup_read_bytes_total", .counter, help: "number of bytes read by this group")
        for group in groups {
            out.sample("namedprocess_namegroup_read_bytes_total", ["groupname": group.name], group.readBytes)
        }
        out.family("namedprocess_namegroup_write_bytes_total", .counter, help: "number of bytes written by this group")
        for group in groups {
            out.sample("namedprocess_namegroup_write_bytes_total", ["groupname": group.name], group.writtenBytes)
        }
        out.family("namedprocess_namegroup_memory_bytes", .gauge, help: "number of bytes of memory in use")
        for group in groups {
            out.sample(
                "namedprocess_namegroup_memory_bytes", ["groupname": group.name, "memtype": "resident"],
                group.residentBytes)
            out.sample(
                "namedprocess_namegroup_memory_bytes", ["groupname": group.name, "memtype": "virtual"],
                group.virtualBytes)
        }
        out.family("namedprocess_namegroup_num_threads", .gauge, help: "Number of threads")
        for group in groups {
            out.sample("namedprocess_namegroup_num_threads", ["groupname": group.name], group.threads)
        }
        out.family(
            "namedprocess_namegroup_states", .gauge,
            help: "Number of processes in states Running, Sleeping, Waiting, Zombie, or Other")
        let states = ["Running", "Sleeping", "Waiting", "Zombie", "Other"]
        for group in groups {
            for (index, state) in states.enumerated() {
                out.sample(
                    "namedprocess_namegroup_states", ["groupname": group.name, "state": state], group.states[index])
            }
        }
        out.family(
            "namedprocess_namegroup_oldest_start_time_seconds", .gauge,
            help: "start time in seconds since 1970/01/01 of oldest process in group")
        for group in groups {
            if let start = group.oldestStart {
                out.sample("namedprocess_namegroup_oldest_start_time_seconds", ["groupname": group.name], start)
            }
        }
        out.family(
            "glanced_monitor_status", .gauge, help: "Glances' status of a [monitor] group: 0 OK, 1 WARNING, 2 CRITICAL."
        )
        for group in groups { out.sample("glanced_monitor_status", ["groupname": group.name], group.status) }
        out.family("glanced_monitor_count_min", .gauge, help: "The countmin of a [monitor] group.")
        for group in groups {
            if let value = group.countMin { out.sample("glanced_monitor_count_min", ["groupname": group.name], value) }
        }
        out.family("glanced_monitor_count_max", .gauge, help: "The countmax of a [monitor] group.")
        for group in groups {
            if let value = group.countMax { out.sample("glanced_monitor_count_max", ["groupname": group.name], value) }
        }
    }

    private static func top(_ top: [PrometheusPlugin.TopName], into out: inout ExpositionWriter) {
        guard !top.isEmpty else { return }
        out.family(
            "glanced_top_process_procs", .gauge,
            help: "Live processes with this name (names in the top N by CPU or resident memory).")
        for entry in top { out.sample("glanced_top_process_procs", ["name": entry.name], entry.processes) }
        out.family(
            "glanced_top_process_cpu_seconds_total", .counter,
            help:
                "CPU seconds used by processes with this name since glanced started (and before, for those it found running)."
        )
        for entry in top {
            out.sample(
                "glanced_top_process_cpu_seconds_total", ["mode": "system", "name": entry.name], entry.systemSeconds)
            out.sample(
                "glanced_top_process_cpu_seconds_total", ["mode": "user", "name": entry.name], entry.userSeconds)
        }
        out.family(
            "glanced_top_process_cpu_usage_ratio", .gauge,
            help: "CPUs used by processes with this name over the last refresh interval (1 = one CPU).")
        for entry in top { out.sample("glanced_top_process_cpu_usage_ratio", ["name": entry.name], entry.cpuRatio) }
        out.family(
            "glanced_top_process_resident_memory_bytes", .gauge, help: "Resident memory of processes with this name.")
        for entry in top {
            out.sample("glanced_top_process_resident_memory_bytes", ["name": entry.name], entry.residentBytes)
        }
    }

    private static func glances(
        _ sample: Sample, _ prometheus: PrometheusPlugin.Stats, into out: inout ExpositionWriter
    ) {
        if let sensors = sample.stats(of: SensorsPlugin.self), !sensors.disks.isEmpty {
            out.family("glanced_hddtemp_celsius", .gauge, help: "Disk temperature reported by the hddtemp daemon.")
            for disk in sensors.disks {
                if let value = Double(disk.value) {
                    out.sample("glanced_hddtemp_celsius", ["device": disk.label], value)
                }
            }
        }
        if !prometheus.thresholds.isEmpty {
            out.family(
                "glanced_threshold", .gauge,
                help:
                    "Glances thresholds of the configuration, as configured (percent, or degrees Celsius for sensors).")
            for threshold in prometheus.thresholds {
                out.sample(
                    "glanced_threshold",
                    ["level": threshold.level, "plugin": threshold.plugin, "stat": threshold.stat], threshold.value)
            }
        }
        if let alerts = sample.stats(of: AlertPlugin.self) {
            out.family("glanced_alert_active", .gauge, help: "Glances alerts going on: 1 per alert type and level.")
            for event in alerts.log.events where event.isOngoing {
                out.sample("glanced_alert_active", ["level": event.level.name, "type": event.type], 1)
            }
        }
    }

    private static func selfProcess(
        _ process: SelfProcessReading, hz: Double, options: Options, into out: inout ExpositionWriter
    ) {
        out.family("process_cpu_seconds_total", .counter, help: "Total user and system CPU time spent in seconds.")
        out.sample("process_cpu_seconds_total", Double(process.cpuTicks) / hz)
        out.family("process_max_fds", .gauge, help: "Maximum number of open file descriptors.")
        out.sample("process_max_fds", process.maxFDs)
        out.family("process_open_fds", .gauge, help: "Number of open file descriptors.")
        out.sample("process_open_fds", process.openFDs)
        out.family("process_resident_memory_bytes", .gauge, help: "Resident memory size in bytes.")
        out.sample("process_resident_memory_bytes", process.residentBytes)
        out.family("process_start_time_seconds", .gauge, help: "Start time of the process since unix epoch in seconds.")
        out.sample("process_start_time_seconds", process.startTime)
        out.family("process_virtual_memory_bytes", .gauge, help: "Virtual memory size in bytes.")
        out.sample("process_virtual_memory_bytes", process.virtualBytes)
        out.family(
            "process_virtual_memory_max_bytes", .gauge, help: "Maximum amount of virtual memory available in bytes.")
        out.sample("process_virtual_memory_max_bytes", process.maxVirtualBytes)
        out.family(
            "glanced_build_info", .gauge, help: "A metric with a constant '1' value labeled by glanced's version.")
        out.sample("glanced_build_info", ["version": options.version], 1)
    }
}
