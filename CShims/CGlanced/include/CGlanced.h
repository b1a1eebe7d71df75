#ifndef CGLANCED_H
#define CGLANCED_H

/* C helpers for glanced: hot loops (one call reaps every process into a flat array) and wrappers
   for what Swift cannot import (function-like macros, mutable C globals). Symbols are glanced_*. */

#include "glanced_runtime.h"
#include "glanced_version.h"
#include "glanced_procs.h"
#include "glanced_sensors.h"
#include "glanced_sha256.h"

#endif
