#ifndef GLANCED_PROCS_H
#define GLANCED_PROCS_H

#endif
