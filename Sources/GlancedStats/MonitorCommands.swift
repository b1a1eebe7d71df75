import Dispatch
import GlancedSync
package import GlancedSystem

/// Runs the `[monitor]` commands in the background, one at a time each, and keeps their last output.
///
/// A sample asks for a command's result with ``result(of:)``: it gets the last finished run's text
/// (nil before the first run ends) and starts a new run when none is in flight. A command that hangs
/// is killed after `timeout`; nothing here ever blocks the caller.
package final class MonitorCommands: Sendable {
    private struct Slot {
        var running = false
        var result: String?
    }

    private let slots: Locked<[String: Slot]>
    private let queue = DispatchQueue(label: "glanced.monitor", attributes: .concurrent)
    private let timeout: Double
    private let maxOutput: Int

    /// Creates a runner; each run is killed after `timeout` seconds and keeps `maxOutput` bytes of output.
    package init(timeout: Double = 5, maxOutput: Int = 4096) {
        self.timeout = timeout
        self.maxOutput = maxOutput
        slots = Locked([:])
    }

    /// The last result of `command`, starting a new run when none is in flight.
    package func result(of command: String) -> String? {
        let (result, start) = slots.withLock { slots -> (String?, Bool) in
            var slot = slots[command] ?? Slot()
            defer { slots[command] = slot }
            guard !slot.running else { return (slot.result, false) }
            slot.running = true
            return (slot.result, true)
        }
        if start {
            queue.async { [self] in
                let text = Self.describe(
                    CommandRunner.run(command, timeout: timeout, maxOutput: maxOutput), command: command)
                slots.withLock { slots in
                    slots[command, default: Slot()].result = text
                    slots[command, default: Slot()].running = false
                }
            }
        }
        return result
    }

    /// The text Glances shows for a run: the output (trailing newline kept), or what went wrong.
    package static func describe(_ outcome: CommandRunner.Outcome, command: String) -> String {
        switch outcome {
        case .exited(0, let output): return output
        case .exited: return "Error: \(command)"
        case .timedOut: return "Timeout: \(command)"
        case .failed: return "Cannot execute command"
        }
    }
}
