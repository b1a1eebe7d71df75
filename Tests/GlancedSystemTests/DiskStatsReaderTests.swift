import Foundation
import GlancedSystem
import Testing

@Suite struct DiskStatsReaderTests {
    @Test func parsesTheKernelsFormat() {
        let text = """
               7       0 loop0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
             254       0 vda 35245 6188 4625234 60660 10620 23901 1573312 5071 0 8924 66048 2002 0 224072 248 1723 68
             259       1 nvme0n1p1 12 0 96 3 4 1 40 0 0 7 3

            """
        let parsed = Array(text.utf8).withUnsafeBufferPointer { DiskStatsReader.parse($0) }
        #expect(parsed.map(\.name) == ["loop0", "vda", "nvme0n1p1"])
        #expect(parsed[0].isUnused)
        var vda = DiskCounters(
            name: "vda", readCount: 35245, writeCount: 10620, readBytes: 4_625_234 * 512, writeBytes: 1_573_312 * 512)
        vda.readsMerged = 6188
        vda.readTimeMs = 60660
        vda.writesMerged = 23901
        vda.writeTimeMs = 5071
        vda.ioTimeMs = 8924
        vda.weightedIoTimeMs = 66048
        vda.discards = 2002
        vda.discardedBytes = 224_072 * 512
        vda.discardTimeMs = 248
        vda.flushes = 1723
        vda.flushTimeMs = 68
        vda.columns = 17
        #expect(parsed[1] == vda)
        // An older kernel's 11 columns: the discard and flush fields stay 0 and `columns` says so.
        #expect(parsed[2].readBytes == 96 * 512 && parsed[2].writeBytes == 40 * 512 && !parsed[2].isUnused)
        #expect(parsed[2].readTimeMs == 3 && parsed[2].ioTimeMs == 7 && parsed[2].weightedIoTimeMs == 3)
        #expect(parsed[2].columns == 11 && parsed[2].discards == 0 && parsed[2].flushes == 0)
    }

    @Test func readsEveryDeviceOfProcDiskstats() throws {
        var reader = DiskStatsReader()
        let disks = reader.read()
        let lines = try String(contentsOfFile: "/proc/diskstats", encoding: .utf8).split(separator: "\n")
        #expect(disks.map(\.name) == lines.map { String($0.split(separator: " ")[2]) })
        for (disk, line) in zip(disks, lines) {
            let fields = line.split(separator: " ")
            // Counters only grow between the two reads.
            #expect(disk.readBytes <= (UInt64(fields[5]) ?? 0) * 512)
            #expect(disk.writeBytes <= (UInt64(fields[9]) ?? 0) * 512)
        }
    }
}
