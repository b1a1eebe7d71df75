#ifndef GLANCED_RUNTIME_H
#define GLANCED_RUNTIME_H

/* Process and thread settings that Swift's Glibc module does not import (<malloc.h>, _GNU_SOURCE). */

/// Fixes glibc's mmap threshold at `bytes` (`mallopt(M_MMAP_THRESHOLD, bytes)`), which also turns off its
/// moving threshold. Returns 1 on success, 0 on failure.
int glanced_set_mmap_threshold(int bytes);

/// Returns the allocator's free memory to the system, from every arena (`malloc_trim(0)`: whole free pages
/// inside the heaps too, not only at their tops).
void glanced_release_free_memory(void);

/// Names the calling thread (`prctl(PR_SET_NAME)`: what `top -H` and /proc/PID/task/TID/comm show),
/// truncated to 15 bytes.
void glanced_name_this_thread(const char *name);

#endif
