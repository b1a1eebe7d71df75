import CFuzzDriver

#if canImport(Glibc)
    import Glibc
#endif

// libFuzzer's driver, with `fuzzRequest(_:_:)` as LLVMFuzzerTestOneInput.
var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(cfuzz_run(&argc, &argv) { fuzzRequest($0, $1) })
