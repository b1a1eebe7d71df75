import Foundation
import GlancedSync
import GlancedSystem
import Glibc
import Testing

@Suite struct SamplingThreadTests {
    /// Every job runs on the same thread, in order, even with idle spells between them: libproc2's per-thread
    /// buffers are then allocated once (a Dispatch queue hands idle spells' jobs to new worker threads).
    @Test func runsEveryJobInOrderOnOneLongLivedThread() {
        let thread = SamplingThread(name: "glanced-test")
        let seen = Locked<[(job: Int, thread: pthread_t, name: String)]>([])
        for job in 0..<6 {
            thread.async {
                let comm = (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? ""
                seen.withLock { $0.append((job, pthread_self(), String(comm.prefix { $0 != "\n" }))) }
            }
            if job % 2 == 1 { usleep(300_000) }  // idle spells, longer than a Dispatch worker stays around
        }
        waitUntil { seen.withLock { $0.count } == 6 }
        let runs = seen.withLock { $0 }
        #expect(runs.map(\.job) == Array(0..<6))
        #expect(Set(runs.map(\.thread)).count == 1, "one thread ran them all")
        #expect(runs.first?.thread != pthread_self())
        #expect(runs.first?.name == "glanced-test")
    }

    /// After stop (as when no thread could be started) jobs still run, but never on the caller's thread: a
    /// caller that queues a job while holding a lock the job takes (as `StatsCache` does) must not deadlock.
    @Test func afterStopJobsStillRunButNotOnTheCallersThread() {
        let thread = SamplingThread(name: "glanced-test")
        thread.stop()
        let lock = Locked<pthread_t>(0)
        lock.withLock { _ in
            thread.async { lock.withLock { $0 = pthread_self() } }
        }
        waitUntil { lock.withLock { $0 } != 0 }
        #expect(lock.withLock { $0 } != 0)
        #expect(lock.withLock { $0 } != pthread_self())
    }

    @Test func theThreadEndsWhenItsOwnerLetsGo() throws {
        let task = Locked("")
        do {
            let thread = SamplingThread(name: "glanced-test")
            // "/proc/thread-self" links to "PID/task/TID" of the thread that reads it.
            thread.async {
                task.withLock {
                    $0 = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/thread-self")) ?? "?"
                }
            }
            waitUntil { !task.withLock { $0 }.isEmpty }
        }
        let path = "/proc/" + task.withLock { $0 }
        #expect(path.contains("/task/"))
        waitUntil { !FileManager.default.fileExists(atPath: path) }
        #expect(!FileManager.default.fileExists(atPath: path), "\(path) still exists")
    }
}

private func waitUntil(seconds: Double = 10, _ condition: () -> Bool) {
    var waited = 0.0
    while !condition() && waited < seconds {
        usleep(10_000)
        waited += 0.01
    }
}
