#ifndef CSENSORS_H
#define CSENSORS_H
#include <sensors/sensors.h>
#include <sensors/error.h>
#endif
