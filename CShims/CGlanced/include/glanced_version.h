#ifndef GLANCED_VERSION_H
#define GLANCED_VERSION_H

/// The libproc2 version this binary was built against (libproc2 has no run-time version call; the
/// build takes it from libproc2's pkg-config file). Returns 0 on success.
int glanced_proc2_version(int *major, int *minor, int *patch);

/// libsensors' version string (`libsensors_version` is a mutable C global, which Swift 6 rejects).
const char *glanced_sensors_version(void);

/// The process environment (`environ` is a mutable C global, which Swift 6 rejects), for `posix_spawn`.
char **glanced_environment(void);

#endif
