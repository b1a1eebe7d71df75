#include "CGlanced.h"

#include <malloc.h>
#include <sys/prctl.h>

int glanced_set_mmap_threshold(int bytes) {
    return mallopt(M_MMAP_THRESHOLD, bytes);
}

void glanced_release_free_memory(void) {
    (void)malloc_trim(0);
}

void glanced_name_this_thread(const char *name) {
    (void)prctl(PR_SET_NAME, name, 0, 0, 0);
}
