import GlancedSystem
import Testing

@Suite struct HddtempReplyTests {
    private func disks(_ reply: String) -> [HddtempDisk] {
        HddtempReply.parse(reply)
    }

    private func disk(_ label: String, _ value: String) -> HddtempDisk {
        HddtempDisk(label: label, value: value)
    }

    @Test func conformanceReply() {
        #expect(disks("|/dev/sda|FakeDisk|35|C||/dev/sdb|FakeSSD|SLP|*|") == [disk("sda", "35"), disk("sdb", "SLP")])
    }

    @Test func oneRecord() {
        #expect(disks("|/dev/sda|WDC WD10EZEX-08WN4A0|33|C|") == [disk("sda", "33")])
    }

    @Test func valuesAreKeptAsSent() {
        #expect(
            disks("|/dev/sda|A|ERR|*||/dev/sdb|B|NA|*||/dev/sdc|C|UNK|*||/dev/sdd|D|95|F|")
                == [disk("sda", "ERR"), disk("sdb", "NA"), disk("sdc", "UNK"), disk("sdd", "95")])
        #expect(disks("|/dev/sda|A||C|") == [disk("sda", "")])
    }

    @Test func emptyAndSeparatorsOnly() {
        #expect(disks("") == [])
        #expect(disks("|") == [])
        #expect(disks("||") == [])
        #expect(disks("|||||") == [], "a complete record without a device")
        #expect(disks("||||||||||") == [])
    }

    @Test func truncatedRecordsAreDropped() {
        let full = "|/dev/sda|A|35|C||/dev/sdb|B|36|C|"
        #expect(disks(String(full.dropLast())) == [disk("sda", "35")], "the closing | is missing")
        #expect(disks("|/dev/sda|A|35|C||/dev/sdb|B|3") == [disk("sda", "35")])
        #expect(disks("|/dev/sda|A|35|C") == [])
        #expect(disks("|/dev/sda|A|35") == [])
        #expect(disks("|/dev/sda") == [])
        // Every prefix parses to the records it completes.
        for length in 0...full.utf8.count {
            let prefix = String(decoding: Array(full.utf8).prefix(length), as: UTF8.self)
            let expected = length >= full.utf8.count ? 2 : length >= 17 ? 1 : 0
            #expect(disks(prefix).count == expected, "prefix of \(length) bytes")
        }
    }

    @Test func deviceNames() {
        #expect(disks("|sda|A|35|C|") == [disk("sda", "35")], "no /dev/ to strip")
        #expect(disks("|/dev/nvme0n1|A|35|C|") == [disk("nvme0n1", "35")])
        #expect(disks("|/dev/disk/by-id/ata-X|A|35|C|") == [disk("disk/by-id/ata-X", "35")])
        #expect(disks("|/mnt/dev/sdz|A|35|C|") == [disk("sdz", "35")], "up to and including the first /dev/")
        #expect(disks("|/dev/|A|35|C|") == [], "nothing left of the name")
        #expect(disks("|/de|A|35|C|") == [disk("/de", "35")])
    }

    @Test func garbageAroundRecords() {
        // Split on | as Glances does: text before the first | and between records is ignored.
        #expect(disks("hello|/dev/sda|A|35|C|") == [disk("sda", "35")])
        #expect(disks("|/dev/sda|A|35|C|junk|/dev/sdb|B|36|C|") == [disk("sda", "35"), disk("sdb", "36")])
        #expect(disks("|/dev/sda|A|35|C|\n") == [disk("sda", "35")])
        #expect(disks("HTTP/1.1 400 Bad Request\r\n\r\n") == [])
        #expect(disks("a|b|c") == [])
    }

    @Test func invalidUTF8IsRepaired() {
        let reply: [UInt8] = Array("|/dev/sd".utf8) + [0xFF] + Array("|M|3".utf8) + [0xC3] + Array("|C|".utf8)
        #expect(HddtempReply.parse(reply) == [disk("sd\u{FFFD}", "3\u{FFFD}")])
    }

    @Test func arbitraryBytesNeverTrap() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
        let alphabet: [UInt8] = Array("|/dev/sa0C*\n".utf8) + [0, 0x80, 0xFF]
        for _ in 0..<2000 {
            let length = Int(next() % 64)
            let bytes = (0..<length).map { _ in alphabet[Int(next() % UInt64(alphabet.count))] }
            let separators = bytes.filter { $0 == UInt8(ascii: "|") }.count
            #expect(HddtempReply.parse(bytes).count <= separators / 5)
        }
        for byte in UInt8.min...UInt8.max {
            _ = HddtempReply.parse([UInt8](repeating: byte, count: 11))
        }
    }
}
