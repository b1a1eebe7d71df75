import Foundation
import GlancedStats
import GlancedSystem
import Testing

@Suite struct DiskIOPluginTests {
    @Test func listsTheDevicesThatHaveSeenIO() throws {
        let diskio = try PluginSampler([DiskIOPlugin.self]).stats(of: DiskIOPlugin.self)
        let lines = try String(contentsOfFile: "/proc/diskstats", encoding: .utf8).split(separator: "\n")
            .map { $0.split(separator: " ") }
        let used = lines.filter { fields in [3, 5, 7, 9].contains { (Int(fields[$0]) ?? 0) > 0 } }.map { String($0[2]) }
        // Every device is in the stats; the ones never used are marked so (the Glances 2 JSON leaves them out).
        #expect(diskio.disks.map(\.counters.name) == lines.map { String($0[2]) })
        #expect(diskio.disks.filter { !$0.counters.isUnused }.map(\.counters.name) == used)
        #expect(diskio.interval == nil, "no interval on the first sample (written as the int 1)")
        for disk in diskio.disks {
            #expect(disk.readBytesDelta == 0 && disk.writeBytesDelta == 0, "\(disk.counters.name)")
            #expect(disk.readCountDelta == 0 && disk.writeCountDelta == 0, "\(disk.counters.name)")
        }
    }

    @Test func aSyncedWriteShowsUpAsWriteBytes() throws {
        let sampler = PluginSampler([DiskIOPlugin.self])
        let first = try sampler.stats(of: DiskIOPlugin.self)
        let path = FileManager.default.currentDirectoryPath + "/.glanced-diskio-\(getpid())"
        defer { unlink(path) }
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let block = [UInt8](repeating: 0x33, count: 8 << 20)
        _ = block.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        fsync(fd)
        close(fd)
        let second = try sampler.stats(of: DiskIOPlugin.self)
        guard !first.disks.isEmpty else { return }  // no block device at all: nothing to see
        let written = second.disks.map(\.writeBytesDelta).reduce(0, +)
        #expect(written >= 8 << 20, "write_bytes \(written)")
        let since = try #require(second.interval)
        #expect(since > 0)
        for disk in second.disks {
            let old = first.disks.first { $0.counters.name == disk.counters.name }
            if let old, disk.counters.writeBytes >= old.counters.writeBytes {
                #expect(disk.writeBytesDelta == disk.counters.writeBytes - old.counters.writeBytes)
            }
        }
    }
}
