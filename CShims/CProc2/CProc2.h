#ifndef CPROC2_H
#define CPROC2_H
#include <libproc2/pids.h>
#include <libproc2/stat.h>
#include <libproc2/meminfo.h>
#include <libproc2/diskstats.h>
#include <libproc2/misc.h>
#include <libproc2/vmstat.h>
#endif
