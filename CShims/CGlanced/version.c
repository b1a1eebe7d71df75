#include "CGlanced.h"

#include <stdio.h>
#include <unistd.h>

extern char **environ;
#include <sensors/sensors.h>

#ifndef GLANCED_LIBPROC2_VERSION
#define GLANCED_LIBPROC2_VERSION "0"
#endif

int glanced_proc2_version(int *major, int *minor, int *patch) {
    *major = *minor = *patch = 0;
    return sscanf(GLANCED_LIBPROC2_VERSION, "%d.%d.%d", major, minor, patch) >= 1 ? 0 : -1;
}

const char *glanced_sensors_version(void) {
    return libsensors_version;
}

char **glanced_environment(void) {
    return environ;
}
