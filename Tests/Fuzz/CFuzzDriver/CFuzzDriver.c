#include "CFuzzDriver.h"

// Declared by libFuzzer's FuzzerInterface.h, which the toolchain does not install.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*test)(const uint8_t *data, size_t size));

int cfuzz_run(int *argc, char ***argv, cfuzz_test_one_input test) {
    return LLVMFuzzerRunDriver(argc, argv, test);
}
