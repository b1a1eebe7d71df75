import Glibc

/// Whether this test binary was built with AddressSanitizer or ThreadSanitizer (everything runs several
/// times slower: time limits that guard against hangs are stretched).
package let runningUnderSanitizer: Bool = {
    let everything = UnsafeMutableRawPointer(bitPattern: 0)  // RTLD_DEFAULT
    return dlsym(everything, "__asan_init") != nil || dlsym(everything, "__tsan_init") != nil
}()

/// `seconds`, stretched tenfold under a sanitizer.
package func timeLimit(_ seconds: Double) -> Double {
    runningUnderSanitizer ? seconds * 10 : seconds
}
