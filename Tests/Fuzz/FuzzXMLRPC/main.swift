import CFuzzDriver

#if canImport(Glibc)
    import Glibc
#endif

// libFuzzer's driver, with `fuzzXMLRPC(_:_:)` as LLVMFuzzerTestOneInput.
var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(cfuzz_run(&argc, &argv) { fuzzXMLRPC($0, $1) })
