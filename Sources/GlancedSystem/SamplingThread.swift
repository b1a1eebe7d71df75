internal import CGlanced
import Dispatch
internal import Glibc

/// One long-lived thread that runs jobs in the order they were submitted.
///
/// Samples are taken here rather than on a Dispatch queue: libproc2 keeps two 128 KiB buffers per thread
/// that reads processes (`static __thread` in its readproc.c) and never frees them, and Dispatch's worker
/// threads come and go, so a server polled once a minute would leak a pair per poll. One thread that lives
/// as long as its owner allocates them once.
///
/// The thread ends once ``stop()`` was called (or the owner let go of it) and the jobs queued before have run.
package final class SamplingThread: Sendable {
    private final class Queue: @unchecked Sendable {
        // `@unchecked Sendable`: every field is only touched with `mutex` held.
        let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
        var jobs: [@Sendable () -> Void] = []
        var head = 0
        var stopping = false
        var name = ""

        init() {
            pthread_mutex_init(mutex, nil)
            pthread_cond_init(condition, nil)
        }

        deinit {
            pthread_cond_destroy(condition)
            pthread_mutex_destroy(mutex)
            condition.deallocate()
            mutex.deallocate()
        }

        /// The next job, waiting for one; nil once stopped with nothing left to run.
        func next() -> (@Sendable () -> Void)? {
            pthread_mutex_lock(mutex)
            defer { pthread_mutex_unlock(mutex) }
            while head == jobs.count {
                if stopping { return nil }
                pthread_cond_wait(condition, mutex)
            }
            let job = jobs[head]
            head += 1
            if head == jobs.count {
                jobs.removeAll(keepingCapacity: true)
                head = 0
            }
            return job
        }

        /// Queues `job` (false once stopped), or stops the queue when `job` is nil.
        @discardableResult
        func push(_ job: (@Sendable () -> Void)?) -> Bool {
            pthread_mutex_lock(mutex)
            defer { pthread_mutex_unlock(mutex) }
            guard !stopping else { return false }
            if let job { jobs.append(job) } else { stopping = true }
            pthread_cond_signal(condition)
            return true
        }
    }

    private let queue = Queue()

    /// Starts the thread. `name` is what `top -H` and `/proc/PID/task/*/comm` show (15 bytes at most).
    package init(name: String) {
        let queue = self.queue
        queue.name = name
        let context = Unmanaged.passRetained(queue).toOpaque()
        var thread = pthread_t()
        let started = pthread_create(
            &thread, nil,
            { context in
                let queue = Unmanaged<Queue>.fromOpaque(context!).takeRetainedValue()
                glanced_name_this_thread(queue.name)
                while let job = queue.next() { job() }
                return nil
            }, context)
        if started == 0 {
            pthread_detach(thread)
        } else {
            // No thread (out of resources): jobs go to Dispatch instead (see `async`).
            Unmanaged<Queue>.fromOpaque(context).release()
            queue.push(nil)
        }
    }

    deinit { stop() }

    /// Runs `job` on the thread after the jobs already queued. After ``stop()``, or if the thread could not
    /// be started, on a Dispatch worker: never on the caller's thread, which may hold a lock the job takes.
    package func async(_ job: @escaping @Sendable () -> Void) {
        if !queue.push(job) { DispatchQueue.global().async(execute: job) }
    }

    /// Ends the thread once the jobs queued so far have run.
    package func stop() {
        queue.push(nil)
    }
}
