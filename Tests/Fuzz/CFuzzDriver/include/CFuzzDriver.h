#ifndef CFUZZDRIVER_H
#define CFUZZDRIVER_H

#include <stddef.h>
#include <stdint.h>

/// One fuzz input: the bytes and their count; returns 0 (libFuzzer's `LLVMFuzzerTestOneInput` contract).
typedef int (*cfuzz_test_one_input)(const uint8_t *data, size_t size);

/// Runs libFuzzer's driver (`LLVMFuzzerRunDriver`, from libclang_rt.fuzzer, linked by `-sanitize=fuzzer`)
/// with the command line and the test function.
///
/// A shim because SwiftPM gives every executable target a `main` of its own (it links the module's entry
/// point as `main`), so libFuzzer's `main` cannot be used: the Swift `main.swift` calls this instead.
int cfuzz_run(int *argc, char ***argv, cfuzz_test_one_input test);

#endif
