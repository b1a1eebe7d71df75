internal import CGlanced
internal import CSensors
import GlancedSync

/// One libsensors input: a temperature or a fan speed, with its label.
package struct SensorReading: Sendable, Equatable {
    /// What a reading measures.
    package enum Kind: Sendable, Equatable {
        /// Degrees Celsius.
        case temperature
        /// Revolutions per minute.
        case fan
    }

    /// The feature's label: its `label` statement in `sensors3.conf`, the sysfs `*_label` file, or the
    /// feature name (`temp1`, `fan1`), as `sensors` shows it.
    package var label: String
    /// The input value, with the configuration's `compute` statements applied.
    package var value: Double
    /// Temperature or fan.
    package var kind: Kind

    /// Creates a reading.
    package init(label: String, value: Double, kind: Kind) {
        self.label = label
        self.value = value
        self.kind = kind
    }
}

/// libsensors could not be initialised: no temperature or fan reading until the process restarts.
package struct SensorChipsError: Error, Sendable, Equatable {
    /// libsensors' error code (negative, as `sensors_init` returns it).
    package var code: Int32
    /// What `sensors_strerror` says of it.
    package var message: String

    /// Creates an error.
    package init(code: Int32, message: String) {
        self.code = code
        self.message = message
    }
}

/// The temperatures and fan speeds libsensors finds, as the `sensors` command shows them.
///
/// libsensors keeps its chip list in process-wide state, so this is a namespace over one process-wide
/// state: the library is initialised at the first ``read()`` (not at process start: what it finds then
/// is what it keeps, and tests build a fake sysfs tree first), and calls are serialized. A failed
/// initialisation is not retried (a broken configuration file stays broken); every read then returns
/// the same error.
package enum SensorChips {
    private enum State {
        case uninitialised
        case ready
        case failed(SensorChipsError)
    }

    /// libsensors' state: touched only under this lock.
    private static let state = Locked(State.uninitialised)

    /// Room for this many readings at first; a machine with more gets a second, larger read.
    private static let initialCapacity = 32

    /// Reads every temperature input, then every fan input, of every chip.
    ///
    /// Inputs that are missing or unreadable are left out. Values are read from sysfs on every call.
    /// The corresponding libsensors calls are `sensors_init` (once) and `sensors_get_detected_chips`,
    /// `sensors_get_features`, `sensors_get_subfeature`, `sensors_get_value`, `sensors_get_label`.
    ///
    /// - Returns: the readings in chip order, temperatures first; or why libsensors is unavailable.
    package static func read() -> Result<[SensorReading], SensorChipsError> {
        state.withLock { state in
            switch state {
            case .failed(let error):
                return .failure(error)
            case .uninitialised:
                let code = glanced_sensors_init()
                guard code == 0 else {
                    let error = SensorChipsError(code: code, message: String(cString: sensors_strerror(code)))
                    state = .failed(error)
                    return .failure(error)
                }
                state = .ready
            case .ready:
                break
            }
            return .success(readAll())
        }
    }

    /// Whether libsensors has been initialised successfully (false before the first ``read()``).
    package static var isInitialised: Bool {
        state.withLock { state in
            if case .ready = state { return true }
            return false
        }
    }

    /// Copies every reading out of libsensors; the caller holds the lock.
    private static func readAll() -> [SensorReading] {
        var capacity = initialCapacity
        while true {
            var total = 0
            let rows = [glanced_sensor_reading](unsafeUninitializedCapacity: capacity) { buffer, initialized in
                total = glanced_sensors_read(buffer.baseAddress, capacity)
                initialized = min(total, capacity)
            }
            if total <= capacity { return rows.map(Self.reading) }
            capacity = total  // more readings than room: read them all again with room for every one
        }
    }

    private static func reading(_ row: glanced_sensor_reading) -> SensorReading {
        let label = withUnsafeBytes(of: row.label) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        let kind: SensorReading.Kind = row.kind == Int32(GLANCED_SENSOR_FAN.rawValue) ? .fan : .temperature
        return SensorReading(label: label, value: row.value, kind: kind)
    }
}
