#ifndef GLANCED_SENSORS_H
#define GLANCED_SENSORS_H

#endif
