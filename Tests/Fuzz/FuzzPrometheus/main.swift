import CFuzzDriver

#if canImport(Glibc)
    import Glibc
#endif

// libFuzzer's driver, with `fuzzPrometheus(_:_:)` as LLVMFuzzerTestOneInput.
var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(cfuzz_run(&argc, &argv) { fuzzPrometheus($0, $1) })
