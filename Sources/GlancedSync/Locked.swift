internal import Glibc

/// A value behind a pthread mutex: the lock every module above the C layer uses.
///
/// It replaces `Synchronization.Mutex`, whose futex-based lock ThreadSanitizer does not recognise as
/// synchronisation (it intercepts pthread mutexes): every access made under a `Mutex` from two threads
/// was reported as a race, which would hide real ones. The interface is `Mutex`'s `withLock`.
package final class Locked<Value>: @unchecked Sendable {
    // `@unchecked Sendable`: `value` is only touched with `mutex` held, and enters and leaves only as
    // `sending`, as with `Mutex`.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private var value: Value

    package init(_ initialValue: sending Value) {
        value = initialValue
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Runs `body` with the value, the lock held.
    package func withLock<Result, E: Error>(_ body: (inout sending Value) throws(E) -> sending Result) throws(E)
        -> sending Result
    {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
