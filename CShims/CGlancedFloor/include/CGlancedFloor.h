#ifndef CGLANCED_FLOOR_H
#define CGLANCED_FLOOR_H

#include <stddef.h>

/// The benchmark's floor: reads, without parsing, what a sample needs from the kernel, in the
/// plainest C: `/proc/PID/stat`, `cmdline` and `io` of every process, then `/proc/stat`, `meminfo`,
/// `loadavg`, `uptime`, `net/dev`, `diskstats` and `self/mountinfo`.
///
/// Returns the number of processes visited, or a negative errno.
long glanced_floor_read(char *buffer, size_t size);

#endif
