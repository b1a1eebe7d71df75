internal import Glibc

/// User names by uid, looked up once per uid and cached for the life of the object.
///
/// The corresponding C call is `getpwuid_r`. A uid with no passwd entry is named by its number,
/// as psutil does (`"1001"`). Not thread-safe: keep one per isolation domain.
package final class UserNames {
    private var names: [UInt32: String] = [:]
    private var buffer = [CChar](repeating: 0, count: 1024)

    /// Creates an empty cache.
    package init() {}

    /// The name of `uid`, or its decimal form when it has none.
    package func name(of uid: UInt32) -> String {
        if let known = names[uid] { return known }
        let name = lookUp(uid) ?? String(uid)
        names[uid] = name
        return name
    }

    private func lookUp(_ uid: UInt32) -> String? {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        while true {
            let status = getpwuid_r(uid, &entry, &buffer, buffer.count, &result)
            if status == ERANGE, buffer.count < 1 << 20 {
                buffer = [CChar](repeating: 0, count: buffer.count * 2)
                continue
            }
            guard status == 0, result != nil, let name = entry.pw_name else { return nil }
            return String(cString: name)
        }
    }
}
