import CFuzzDriver

#if canImport(Glibc)
    import Glibc
#endif

// libFuzzer's driver, with `fuzzGlances2JSON(_:_:)` as LLVMFuzzerTestOneInput.
var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(cfuzz_run(&argc, &argv) { fuzzGlances2JSON($0, $1) })
